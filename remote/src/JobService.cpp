#include "JobService.h"

#include "HttpSupport.h"
#include "strata/ImageIO.h"
#include "strata/remote/Log.h"
#include "strata/remote/RedisClient.h"

#include <algorithm>

namespace strata::remote {

void JobService::submit(const httplib::Request& req, httplib::Response& res)
{
    const Caller c = auth_.caller(req);
    const json body = parseBody(req);
    checkQueueRoom(1);
    const JobRecord job = prepareJob(c, body);
    try {
        enqueueJob(job);
    } catch (...) { // not stored (e.g. a full disk: 507): its input folder goes too
        std::error_code ec;
        fs::remove_all(ctx_.jobDir(job.id), ec);
        throw;
    }
    sendJson(res, 202, job.toJson());
}

JobRecord JobService::ownedJob(const httplib::Request& req, const std::string& id)
{
    const Caller c = auth_.caller(req);
    auto job = ctx_.db->job(id);
    if (!job || (!c.admin && job->owner != c.tokenId)) {
        throw HttpError(404, "unknown_job", "No job '" + id + "'.");
    }
    return *job;
}

void JobService::list(const httplib::Request& req, httplib::Response& res)
{
    const Caller c = auth_.caller(req);
    int limit = 100;
    if (req.has_param("limit")) limit = std::clamp(std::atoi(req.get_param_value("limit").c_str()), 1, 10000);
    json out = json::array();
    for (const auto& j : ctx_.db->jobs(c.admin ? "" : c.tokenId, limit)) {
        json item = jobJson(j);
        // A folder input (a DICOM series) lists its files in the job's own view only: here its file count.
        for (auto& [port, input] : item["inputs"].items()) {
            if (input.is_object() && input.contains("files") && input["files"].is_array()) {
                input["file_count"] = input["files"].size();
                input.erase("files");
            }
        }
        out.push_back(std::move(item));
    }
    sendJson(res, 200, out);
}

void JobService::status(const httplib::Request& req, httplib::Response& res)
{
    sendJson(res, 200, jobJson(ownedJob(req, req.matches[1])));
}

void JobService::checkQueueRoom(std::size_t jobs)
{
    const auto max = static_cast<std::size_t>(std::max(0, ctx_.config.maxQueuedJobs));
    const auto queued = std::min(max, static_cast<std::size_t>(std::max(0, ctx_.db->countByState("queued"))));
    if (queued + jobs > max) {
        throw HttpError(429, "limit_exceeded",
                        jobs == 1 ? std::string("The queue is full; try again later.")
                                  : "The queue has room for " + std::to_string(max - queued) + " more jobs, not " +
                                        std::to_string(jobs) + "; try again later or send fewer cases.",
                        {{"limit", "max_queued_jobs"}, {"max", ctx_.config.maxQueuedJobs}});
    }
}

JobRecord JobService::prepareJob(const Caller& c, const json& body)
{
    if (!body.contains("pipeline") || !body["pipeline"].is_string()) {
        throw HttpError(400, "bad_request", "'pipeline' (a pipeline id) is missing.", {{"field", "pipeline"}});
    }
    const std::string pipelineId = body["pipeline"];
    const pipeline::Pipeline* pipe = nullptr;
    try {
        pipe = &ctx_.registry.get(pipelineId);
    } catch (const InvalidArgument& e) {
        throw HttpError(400, "unknown_pipeline", e.what(), {{"field", "pipeline"}, {"value", pipelineId}});
    }
    const auto& manifest = pipe->manifest();
    const json params = body.value("parameters", json::object());
    if (!params.is_object()) {
        throw HttpError(400, "bad_parameter", "'parameters' must be a JSON object.", {{"field", "parameters"}});
    }
    for (const auto& [name, value] : params.items()) {
        try {
            manifest.resolveParameters(json{{name, value}});
        } catch (const InvalidArgument& e) {
            throw HttpError(400, "bad_parameter", e.what(), {{"parameter", name}});
        }
        if (value.is_string()) {
            const std::string v = value;
            if (v.find('/') != std::string::npos || v.find('\\') != std::string::npos ||
                v.find("..") != std::string::npos || (!v.empty() && v.front() == '~')) {
                throw HttpError(400, "bad_parameter",
                                "Parameter '" + name + "' must be a plain name on a server, not a path.",
                                {{"parameter", name}});
            }
        }
    }
    const std::string device = stringField(body, "device", "auto");
    if (device != "auto" && device != "cpu" && device != "cuda") {
        throw HttpError(400, "bad_request", "'device' must be auto, cpu or cuda.", {{"field", "device"}});
    }
    const json threadsJson = body.value("threads", json(0));
    if (!threadsJson.is_number_integer() || threadsJson.get<int>() < 0 || threadsJson.get<int>() > 1024) {
        throw HttpError(400, "bad_request", "'threads' must be an integer from 0 to 1024.", {{"field", "threads"}});
    }
    const json inputs = body.value("inputs", json::object());
    if (!inputs.is_object()) {
        throw HttpError(400, "bad_request", "'inputs' must map input names to uploaded sha256s.", {{"field", "inputs"}});
    }
    for (const auto& [name, v] : inputs.items()) {
        const bool known = std::any_of(manifest.inputs.begin(), manifest.inputs.end(),
                                       [&](const pipeline::PortSpec& p) { return p.name == name; });
        if (!known) {
            throw HttpError(400, "unknown_input", "Pipeline '" + pipelineId + "' has no input '" + name + "'.",
                            {{"input", name}});
        }
        const bool named = !v.is_object() || !v.contains("name") || v["name"].is_string();
        const bool wellFormed = v.is_string() || (v.is_object() && named &&
                                                  ((v.contains("sha256") && v["sha256"].is_string()) ||
                                                   (v.contains("files") && v["files"].is_array())));
        if (!wellFormed) {
            throw HttpError(400, "bad_request",
                            "inputs." + name + " must be an uploaded sha256, {\"sha256\": ..., \"name\": ...} or a folder "
                            "{\"name\": ..., \"files\": [{\"sha256\": ..., \"name\": ...}, ...]}, got " +
                                jsonPreview(v) + ".",
                            {{"field", "inputs." + name}});
        }
    }
    JobRecord job;
    job.id = randomHex(8);
    job.owner = c.tokenId;
    job.pipeline = pipelineId;
    job.state = "queued";
    job.created = unixNow();
    json resolvedInputs = json::object();
    const fs::path dir = ctx_.jobDir(job.id);
    try {
        for (const auto& port : manifest.inputs) {
            if (!inputs.contains(port.name)) {
                if (port.optional) continue; // an optional input left out
                throw HttpError(400, "missing_input", "Pipeline '" + pipelineId + "' needs input '" + port.name + "'.",
                                {{"input", port.name}});
            }
            const json& v = inputs[port.name];
            // A file, or a folder of files (a DICOM series) put back together inside the job's input folder.
            const JobInput input = v.is_object() && v.contains("files") ? folderInput(c, port.name, v)
                                                                         : fileInput(c, port.name, v);
            const fs::path local = input.materialise(dir / "inputs" / safeFileName(port.name),
                                                     [&](const std::string& sha, const fs::path& target) {
                                                         uploads_.linkBlob(sha, target);
                                                     });
            if (!input.folder) checkInputDataFiles(port.name, local);
            // Sizes come from the header (nothing is decoded in this thread); photos given to the 2D pipelines
            // are held to the same limits as volumes, each photo of a folder too (videos are streamed frame by
            // frame, so not here).
            const auto raster = [](const fs::path& p) {
                const auto format = formatFromPath(p);
                return format == ImageFormat::Png || format == ImageFormat::Jpeg || format == ImageFormat::Tiff ||
                       format == ImageFormat::Bmp;
            };
            if (port.type == "image" || port.type == "labelmap") {
                checkInputSize(port.name, local, dir, manifest);
            } else if (port.type == "images" || port.type == "media") {
                for (const auto& f : input.files) {
                    const fs::path file = input.folder ? local / f.name : local;
                    if (raster(file)) checkInputSize(port.name, file, dir, manifest);
                }
            }
            resolvedInputs[port.name] = input.toJson();
        }
    } catch (...) {
        std::error_code ec;
        fs::remove_all(dir, ec);
        throw;
    }
    job.request = {{"pipeline", pipelineId}, {"parameters", params}, {"inputs", resolvedInputs},
                   {"device", device}, {"threads", threadsJson.get<int>()}};
    return job;
}

void JobService::enqueueJob(const JobRecord& job)
{
    ctx_.db->insertJob(job);
    queueStoredJob(job);
}

void JobService::queueStoredJob(const JobRecord& job)
{
    try {
        ctx_.queue->push(job);
    } catch (const QueueUnavailable& e) { // the row is stored: the queue gets it once Redis is back
        logEvent("warning", "queue_push_deferred", {{"job", job.id}, {"message", e.what()}});
    }
    logEvent("info", "job_submitted", {{"job", job.id}, {"pipeline", job.pipeline}, {"owner", job.owner}});
}

json JobService::jobJson(const JobRecord& job)
{
    json out = job.toJson();
    if (job.state == "running") {
        if (auto snap = ctx_.hub.latest(job.id); snap && snap->event.contains("progress")) {
            out["progress"] = snap->event["progress"];
        }
    }
    return out;
}

void JobService::cancel(const httplib::Request& req, httplib::Response& res)
{
    JobRecord job = ownedJob(req, req.matches[1]);
    const std::string state = requestJobCancel(job);
    logEvent("info", "job_cancel", {{"job", job.id}, {"state", state}});
    sendJson(res, 202, jobJson(*ctx_.db->job(job.id)));
}

std::string JobService::requestJobCancel(const JobRecord& job)
{
    const std::string state = ctx_.db->requestCancel(job.id);
    stopRunning(job.id);
    if (state == "cancelled" && job.state == "queued") {
        ctx_.hub.publish(job.id, {{"type", "state"}, {"state", "cancelled"}}, true);
    }
    return state;
}

void JobService::stopRunning(const std::string& id)
{
    workers_.stopJob(id);
    try {
        ctx_.queue->cancel(id);
    } catch (const QueueUnavailable& e) { // the row has the cancel: passed on once Redis is back
        logEvent("warning", "queue_cancel_deferred", {{"job", id}, {"message", e.what()}});
    }
}

void JobService::remove(const httplib::Request& req, httplib::Response& res)
{
    JobRecord job = ownedJob(req, req.matches[1]);
    if (!job.terminal()) {
        const std::string state = ctx_.db->requestCancel(job.id);
        stopRunning(job.id); // an external worker must not start it either
        if (state == "running") {
            throw HttpError(409, "job_running", "The job is running; it was asked to cancel. Delete it once it stopped.");
        }
    }
    removeJob(job.id);
    sendJson(res, 200, {{"deleted", job.id}});
}

void JobService::removeJob(const std::string& id)
{
    std::error_code ec;
    fs::remove_all(ctx_.jobDir(id), ec);
    ctx_.db->deleteJob(id);
    ctx_.hub.forget(id);
    logEvent("info", "job_deleted", {{"job", id}});
}

void JobService::enforceQuota(std::uint64_t extra)
{
    if (ctx_.config.diskQuotaBytes == 0) return;
    for (const auto& id : ctx_.db->finishedJobs(0)) {
        if (directorySize(ctx_.config.dataDir) + extra <= ctx_.config.diskQuotaBytes) break;
        removeJob(id);
    }
}

void JobService::cleanUp()
{
    const auto cutoff = unixNow() - static_cast<std::int64_t>(ctx_.config.retentionHours * 3600);
    for (const auto& id : ctx_.db->finishedJobs(cutoff)) {
        removeJob(id);
    }
    uploads_.removeExpired(cutoff);
    enforceQuota(0);
}

} // namespace strata::remote

#include "ServerImpl.h"

namespace strata::remote {

void Server::Impl::submitJob(const httplib::Request& req, httplib::Response& res)
{
    const Caller c = caller(req);
    const json body = parseBody(req);
    checkQueueRoom(1);
    const JobRecord job = prepareJob(c, body);
    enqueueJob(job);
    sendJson(res, 202, job.toJson());
}

void Server::Impl::checkQueueRoom(std::size_t jobs)
{
    const auto max = static_cast<std::size_t>(std::max(0, config.maxQueuedJobs));
    const auto queued = std::min(max, static_cast<std::size_t>(std::max(0, db->countByState("queued"))));
    if (queued + jobs > max) {
        throw HttpError(429, "limit_exceeded",
                        jobs == 1 ? std::string("The queue is full; try again later.")
                                  : "The queue has room for " + std::to_string(max - queued) + " more jobs, not " +
                                        std::to_string(jobs) + "; try again later or send fewer cases.",
                        {{"limit", "max_queued_jobs"}, {"max", config.maxQueuedJobs}});
    }
}

JobRecord Server::Impl::prepareJob(const Caller& c, const json& body)
{
    if (!body.contains("pipeline") || !body["pipeline"].is_string()) {
        throw HttpError(400, "bad_request", "'pipeline' (a pipeline id) is missing.", {{"field", "pipeline"}});
    }
    const std::string pipelineId = body["pipeline"];
    const pipeline::Pipeline* pipe = nullptr;
    try {
        pipe = &registry.get(pipelineId);
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
    const fs::path dir = jobDir(job.id);
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
                                                         linkBlob(sha, target);
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

void Server::Impl::enqueueJob(const JobRecord& job)
{
    db->insertJob(job);
    try {
        queue->push(job);
    } catch (const QueueUnavailable& e) { // the row is stored: the queue gets it once Redis is back
        logEvent("warning", "queue_push_deferred", {{"job", job.id}, {"message", e.what()}});
    }
    logEvent("info", "job_submitted", {{"job", job.id}, {"pipeline", job.pipeline}, {"owner", job.owner}});
}

void Server::Impl::linkBlob(const std::string& sha, const fs::path& target)
{
    std::error_code ec;
    fs::create_directories(target.parent_path());
    fs::remove(target, ec);
    fs::create_hard_link(blobsDir() / sha, target, ec);
    if (ec) {
        fs::copy_file(blobsDir() / sha, target, fs::copy_options::overwrite_existing);
    }
}

json Server::Impl::jobJson(const JobRecord& job)
{
    json out = job.toJson();
    if (job.state == "running") {
        if (auto snap = hub.latest(job.id); snap && snap->event.contains("progress")) {
            out["progress"] = snap->event["progress"];
        }
    }
    return out;
}

void Server::Impl::cancelJob(const httplib::Request& req, httplib::Response& res)
{
    JobRecord job = ownedJob(req, req.matches[1]);
    const std::string state = requestJobCancel(job);
    logEvent("info", "job_cancel", {{"job", job.id}, {"state", state}});
    sendJson(res, 202, jobJson(*db->job(job.id)));
}

std::string Server::Impl::requestJobCancel(const JobRecord& job)
{
    const std::string state = db->requestCancel(job.id);
    stopRunning(job.id);
    if (state == "cancelled" && job.state == "queued") {
        hub.publish(job.id, {{"type", "state"}, {"state", "cancelled"}}, true);
    }
    return state;
}

void Server::Impl::stopRunning(const std::string& id)
{
    {
        std::lock_guard lock(runningMutex);
        if (auto it = running.find(id); it != running.end()) it->second.request_stop();
    }
    try {
        queue->cancel(id);
    } catch (const QueueUnavailable& e) { // the row has the cancel: passed on once Redis is back
        logEvent("warning", "queue_cancel_deferred", {{"job", id}, {"message", e.what()}});
    }
}

void Server::Impl::deleteJob(const httplib::Request& req, httplib::Response& res)
{
    JobRecord job = ownedJob(req, req.matches[1]);
    if (!job.terminal()) {
        const std::string state = db->requestCancel(job.id);
        stopRunning(job.id); // an external worker must not start it either
        if (state == "running") {
            throw HttpError(409, "job_running", "The job is running; it was asked to cancel. Delete it once it stopped.");
        }
    }
    removeJob(job.id);
    sendJson(res, 200, {{"deleted", job.id}});
}

void Server::Impl::removeJob(const std::string& id)
{
    std::error_code ec;
    fs::remove_all(jobDir(id), ec);
    db->deleteJob(id);
    hub.forget(id);
    logEvent("info", "job_deleted", {{"job", id}});
}

void Server::Impl::streamEvents(const httplib::Request& req, httplib::Response& res)
{
    const JobRecord job = ownedJob(req, req.matches[1]);
    struct StreamState {
        bool sentStatus{false};
        std::uint64_t seen{0};
        Clock::time_point lastDbCheck{Clock::now()};
    };
    auto st = std::make_shared<StreamState>();
    const std::string id = job.id;
    res.set_header("Cache-Control", "no-cache");
    res.set_header("X-Accel-Buffering", "no");
    res.set_chunked_content_provider("text/event-stream", [this, st, id](size_t, httplib::DataSink& sink) {
        auto send = [&](const std::string& event, const json& data) {
            const std::string text = "event: " + event + "\ndata: " + data.dump() + "\n\n";
            return sink.write(text.data(), text.size());
        };
        if (shuttingDown) {
            sink.done();
            return true;
        }
        if (!st->sentStatus) {
            st->sentStatus = true;
            auto j = db->job(id);
            if (!j) {
                sink.done();
                return true;
            }
            if (auto snap = hub.latest(id)) st->seen = snap->seq;
            if (!send("status", jobJson(*j))) return false;
            if (j->terminal()) sink.done();
            return true;
        }
        auto snap = hub.wait(id, st->seen, std::chrono::milliseconds(1000));
        if (snap.seq != st->seen) {
            st->seen = snap.seq;
            if (snap.terminal) {
                auto j = db->job(id);
                if (j && !send("status", jobJson(*j))) return false;
                sink.done();
                return true;
            }
            if (!snap.event.contains("progress")) { // a state change (queued -> running)
                auto j = db->job(id);
                return j ? send("status", jobJson(*j)) : true;
            }
            return send("progress", snap.event["progress"]);
        }
        if (Clock::now() - st->lastDbCheck > std::chrono::seconds(2)) {
            st->lastDbCheck = Clock::now();
            auto j = db->job(id);
            if (!j || j->terminal()) {
                if (j && !send("status", jobJson(*j))) return false;
                sink.done();
                return true;
            }
        }
        const std::string ping = ": keep-alive\n\n";
        return sink.write(ping.data(), ping.size());
    });
}

void Server::Impl::downloadFile(const httplib::Request& req, httplib::Response& res)
{
    const JobRecord job = ownedJob(req, req.matches[1]);
    const std::string path = req.matches[2];
    if (job.state != "succeeded") {
        throw HttpError(409, "job_not_finished", "Job " + job.id + " is " + job.state + "; it has no results.");
    }
    for (const auto& f : job.files) {
        if (f.value("path", "") != path) continue;
        const fs::path file = bundleDir(job.id) / fs::path(path); // a path from our own listing, never the URL
        auto in = std::make_shared<std::ifstream>(file, std::ios::binary);
        if (!*in) throw HttpError(410, "gone", "The result file is no longer on the server.");
        const std::uint64_t size = f.value("size", 0ull);
        res.set_header("X-Content-SHA256", f.value("sha256", ""));
        res.set_content_provider(size, "application/octet-stream",
                                 [in](size_t offset, size_t length, httplib::DataSink& sink) {
                                     std::vector<char> buf(std::min<size_t>(length, 1 << 20));
                                     in->seekg(static_cast<std::streamoff>(offset));
                                     in->read(buf.data(), static_cast<std::streamsize>(buf.size()));
                                     const auto n = in->gcount();
                                     return n > 0 && sink.write(buf.data(), static_cast<size_t>(n));
                                 });
        return;
    }
    throw HttpError(404, "unknown_file", "Job " + job.id + " has no file '" + path + "'.");
}

} // namespace strata::remote

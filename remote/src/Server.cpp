#include "strata/remote/Server.h"

#include "DeviceInfo.h"
#include "PredictService.h"
#include "ProgressHub.h"
#include "WorkerEventBridge.h"
#include "strata/core/Error.h"
#include "strata/core/ImageIO.h"
#include "strata/core/ModelLocator.h"
#include "strata/core/Sha256.h"
#include "strata/core/SystemInfo.h"
#include "strata/core/Version.h"
#include "strata/core/inference/ModelCard.h"
#include "strata/core/pipeline/LocalExecutor.h"
#include "strata/remote/Api.h"
#include "strata/remote/Database.h"
#include "strata/remote/JobQueue.h"
#include "strata/remote/Log.h"
#include "strata/remote/RedisJobQueue.h"
#include "strata/remote/Tls.h"

#include <httplib.h>

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <map>
#include <regex>
#include <thread>

namespace strata::remote {

using nlohmann::json;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

/// A request that must be refused: HTTP status + error JSON {"error": {"code", "message", ...extra}}.
struct HttpError : std::runtime_error {
    HttpError(int status, std::string code, const std::string& message, json extra = json::object())
        : std::runtime_error(message), status(status), code(std::move(code)), extra(std::move(extra))
    {
    }
    int status;
    std::string code;
    json extra;
};

void sendJson(httplib::Response& res, int status, const json& body)
{
    res.status = status;
    res.set_content(body.dump(), "application/json");
}

void sendError(httplib::Response& res, int status, const std::string& code, const std::string& message,
               const json& extra = json::object())
{
    json error{{"code", code}, {"message", message}};
    error.update(extra);
    sendJson(res, status, {{"error", error}});
}

json parseBody(const httplib::Request& req)
{
    json body = json::parse(req.body, nullptr, false);
    if (body.is_discarded()) {
        throw HttpError(400, "bad_json", "The request body is not valid JSON.");
    }
    if (!body.is_object()) {
        throw HttpError(400, "bad_json", "The request body must be a JSON object.");
    }
    return body;
}

bool isLoopbackHost(const std::string& host)
{
    return host == "127.0.0.1" || host == "::1" || host == "localhost" || host.rfind("127.", 0) == 0;
}

bool isLoopbackAddress(const std::string& addr)
{
    return addr == "::1" || addr.rfind("127.", 0) == 0 || addr.rfind("::ffff:127.", 0) == 0;
}

/// Keeps what a client calls its file, reduced to a safe single name: [A-Za-z0-9._-], no leading dot.
std::string safeFileName(const std::string& name)
{
    std::string base = name;
    const auto slash = base.find_last_of("/\\");
    if (slash != std::string::npos) base = base.substr(slash + 1);
    std::string out;
    for (char c : base) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                        c == '_' || c == '-';
        out += ok ? c : '_';
    }
    while (!out.empty() && out.front() == '.') out.erase(out.begin());
    if (out.size() > 120) out = out.substr(out.size() - 120);
    return out.empty() ? "input" : out;
}

bool isHex64(const std::string& s)
{
    return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

std::uint64_t directorySize(const fs::path& dir)
{
    std::uint64_t total = 0;
    std::error_code ec;
    for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->is_regular_file(ec)) total += it->file_size(ec);
    }
    return total;
}

json progressJson(const pipeline::ProgressEvent& e)
{
    return {{"stage_id", e.stageId},         {"stage_title", e.stageTitle}, {"stage_index", e.stageIndex},
            {"stage_count", e.stageCount},   {"stage_fraction", e.stageFraction}, {"overall", e.overall},
            {"message", e.message},          {"elapsed_seconds", e.elapsedSeconds}};
}

/// Forwards a running job's progress to the hub (every event) and the store (at most once a second).
class JobProgressSink : public pipeline::ProgressSink {
public:
    JobProgressSink(std::string id, ProgressHub& hub, Database& db) : id_(std::move(id)), hub_(hub), db_(db) {}
    void progress(const pipeline::ProgressEvent& event) override
    {
        json p = progressJson(event);
        hub_.publish(id_, {{"type", "progress"}, {"state", "running"}, {"progress", p}}, false);
        const auto now = Clock::now();
        if (now - lastWrite_ > std::chrono::seconds(1)) {
            lastWrite_ = now;
            db_.setProgress(id_, p);
        }
    }

private:
    std::string id_;
    ProgressHub& hub_;
    Database& db_;
    Clock::time_point lastWrite_{};
};

struct Caller {
    std::string tokenId;
    bool admin{false};
};

} // namespace

struct Server::Impl {
    ServerConfig config;
    const pipeline::PipelineRegistry& registry;
    std::unique_ptr<Database> db;
    std::unique_ptr<JobQueue> queue;
    std::unique_ptr<WorkerEventBridge> bridge; ///< with --queue redis://...: events of strata-worker processes
    std::unique_ptr<PredictService> predictor; ///< the synchronous predict endpoint (models load on first use)
    std::unique_ptr<httplib::Server> http;
    ProgressHub hub;
    json devices;
    std::string adminToken;
    int boundPort{0};
    int workerCount{1};
    std::atomic<bool> shuttingDown{false};
    std::vector<std::jthread> workers;
    std::jthread janitor;
    std::thread listener;

    std::mutex runningMutex;
    std::map<std::string, std::stop_source> running;

    std::mutex uploadLocksMutex;
    std::map<std::string, std::shared_ptr<std::mutex>> uploadLocks;

    Impl(ServerConfig c, const pipeline::PipelineRegistry& r)
        : config(std::move(c)), registry(r),
          predictor(std::make_unique<PredictService>(PredictService::Options{
              static_cast<std::size_t>(std::max(1, config.predictMaxBatch)), config.predictMaxWaitMicros,
              config.maxPredictPixels, "auto", config.threadsPerJob}))
    {
    }

    fs::path blobsDir() const { return config.dataDir / "blobs"; }
    fs::path uploadsDir() const { return config.dataDir / "uploads"; }
    fs::path jobDir(const std::string& id) const { return config.dataDir / "jobs" / id; }
    fs::path bundleDir(const std::string& id) const { return jobDir(id) / "bundle"; }

    // ---------------------------------------------------------------- auth

    std::optional<Caller> authenticate(const httplib::Request& req)
    {
        const std::string header = req.get_header_value("Authorization");
        if (header.rfind("Bearer ", 0) == 0) {
            if (auto token = db->findToken(header.substr(7))) {
                return Caller{token->id, token->admin};
            }
            return std::nullopt;
        }
        if (header.empty() && config.allowAnonymous && isLoopbackAddress(req.remote_addr)) {
            return Caller{"anonymous", true};
        }
        return std::nullopt;
    }

    Caller caller(const httplib::Request& req)
    {
        auto c = authenticate(req); // checked again by the pre-routing handler; cheap
        if (!c) throw HttpError(401, "unauthorized", "A valid bearer token is required.");
        return *c;
    }

    JobRecord ownedJob(const httplib::Request& req, const std::string& id)
    {
        const Caller c = caller(req);
        auto job = db->job(id);
        if (!job || (!c.admin && job->owner != c.tokenId)) {
            throw HttpError(404, "unknown_job", "No job '" + id + "'.");
        }
        return *job;
    }

    // ---------------------------------------------------------------- uploads

    std::shared_ptr<std::mutex> uploadLock(const std::string& sha)
    {
        std::lock_guard lock(uploadLocksMutex);
        auto& m = uploadLocks[sha];
        if (!m) m = std::make_shared<std::mutex>();
        return m;
    }

    json uploadState(const std::string& sha)
    {
        if (db->hasBlob(sha) && fs::exists(blobsDir() / sha)) {
            return {{"sha256", sha}, {"complete", true}, {"offset", fs::file_size(blobsDir() / sha)},
                    {"size", fs::file_size(blobsDir() / sha)}};
        }
        const auto meta = uploadsDir() / (sha + ".json");
        if (!fs::exists(meta)) {
            throw HttpError(404, "unknown_upload", "No upload of " + sha + "; start it with POST /api/v1/uploads.");
        }
        const json m = json::parse(std::ifstream(meta), nullptr, false);
        std::error_code ec;
        const auto part = uploadsDir() / (sha + ".part");
        const std::uint64_t offset = fs::exists(part, ec) ? fs::file_size(part, ec) : 0;
        return {{"sha256", sha}, {"complete", false}, {"offset", offset}, {"size", m.value("size", 0ull)},
                {"chunk_bytes", config.maxChunkBytes}};
    }

    void checkQuota(std::uint64_t extra)
    {
        if (config.diskQuotaBytes == 0) return;
        const auto used = directorySize(config.dataDir);
        if (used + extra > config.diskQuotaBytes) {
            enforceQuota(extra);
            if (directorySize(config.dataDir) + extra > config.diskQuotaBytes) {
                throw HttpError(507, "limit_exceeded", "The server's disk quota is full.",
                                {{"limit", "disk_quota_bytes"}, {"max", config.diskQuotaBytes}});
            }
        }
    }

    void startUpload(const httplib::Request& req, httplib::Response& res)
    {
        caller(req);
        const json body = parseBody(req);
        const std::string sha = body.value("sha256", "");
        if (!isHex64(sha)) {
            throw HttpError(400, "bad_request", "'sha256' must be 64 lower-case hex digits.", {{"field", "sha256"}});
        }
        if (!body.contains("size") || !body["size"].is_number_unsigned() || body["size"].get<std::uint64_t>() == 0) {
            throw HttpError(400, "bad_request", "'size' must be a positive integer (bytes).", {{"field", "size"}});
        }
        const auto size = body["size"].get<std::uint64_t>();
        if (size > config.maxUploadBytes) {
            throw HttpError(413, "limit_exceeded",
                            "The file is " + std::to_string(size) + " bytes; this server accepts at most " +
                                std::to_string(config.maxUploadBytes) + " bytes per upload.",
                            {{"limit", "max_upload_bytes"}, {"max", config.maxUploadBytes}, {"value", size}});
        }
        auto lock = uploadLock(sha);
        std::lock_guard guard(*lock);
        if (db->hasBlob(sha) && fs::exists(blobsDir() / sha)) {
            sendJson(res, 200, uploadState(sha));
            return;
        }
        checkQuota(size);
        fs::create_directories(uploadsDir());
        const auto meta = uploadsDir() / (sha + ".json");
        if (fs::exists(meta)) {
            const json m = json::parse(std::ifstream(meta), nullptr, false);
            if (m.is_discarded() || m.value("size", 0ull) != size) {
                fs::remove(uploadsDir() / (sha + ".part"));
            }
        }
        std::ofstream(meta) << json{{"size", size}, {"name", safeFileName(body.value("name", "input"))}}.dump();
        sendJson(res, 201, uploadState(sha));
    }

    void predict(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader)
    {
        caller(req);
        const std::string model = req.matches[1];
        const auto length = req.has_header("Content-Length") ? req.get_header_value<std::uint64_t>("Content-Length") : 0;
        if (length > config.maxPredictBytes) {
            res.set_header("Connection", "close");
            throw HttpError(413, "limit_exceeded",
                            "A prediction request may hold at most " + std::to_string(config.maxPredictBytes) +
                                " bytes; classify larger images with a job (POST jobs, pipeline classify).",
                            {{"limit", "max_predict_bytes"}, {"max", config.maxPredictBytes}, {"value", length}});
        }
        std::string body;
        bool tooLarge = false;
        reader([&](const char* data, size_t n) {
            if (body.size() + n > config.maxPredictBytes) {
                tooLarge = true; // chunked bodies have no Content-Length to check first
                return false;
            }
            body.append(data, n);
            return true;
        });
        if (tooLarge) {
            res.set_header("Connection", "close");
            throw HttpError(413, "limit_exceeded", "A prediction request may hold at most " + std::to_string(config.maxPredictBytes) + " bytes.",
                            {{"limit", "max_predict_bytes"}, {"max", config.maxPredictBytes}});
        }
        int topK = 3;
        if (req.has_param("top_k")) {
            try {
                topK = std::stoi(req.get_param_value("top_k"));
            } catch (const std::exception&) {
                throw HttpError(400, "bad_parameter", "top_k must be a whole number.", {{"parameter", "top_k"}});
            }
        }
        try {
            sendJson(res, 200, predictor->predict(model, body, topK));
        } catch (const IoError& e) {
            const bool missing = std::string(e.what()).find("not found") != std::string::npos;
            throw HttpError(missing ? 404 : 400, missing ? "model_not_found" : "bad_model", e.what(), {{"model", model}});
        }
    }

    void putChunk(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader)
    {
        caller(req);
        const std::string sha = req.matches[1];
        if (!req.has_header("Content-Length")) {
            throw HttpError(411, "length_required", "Chunks need a Content-Length header.");
        }
        const auto length = req.get_header_value<std::uint64_t>("Content-Length");
        if (length > config.maxChunkBytes) {
            res.set_header("Connection", "close");
            throw HttpError(413, "limit_exceeded",
                            "A chunk may hold at most " + std::to_string(config.maxChunkBytes) + " bytes.",
                            {{"limit", "max_chunk_bytes"}, {"max", config.maxChunkBytes}, {"value", length}});
        }
        auto lock = uploadLock(sha);
        std::lock_guard guard(*lock);
        json state = uploadState(sha);
        if (state["complete"].get<bool>()) {
            reader([](const char*, size_t) { return true; });
            sendJson(res, 200, state);
            return;
        }
        const std::uint64_t size = state["size"], current = state["offset"];
        const std::uint64_t offset = req.has_param("offset") ? std::stoull(req.get_param_value("offset")) : current;
        if (offset != current) {
            res.set_header("Connection", "close");
            throw HttpError(409, "offset_mismatch",
                            "The server has " + std::to_string(current) + " bytes of this upload; send from there.",
                            {{"offset", current}});
        }
        if (current + length > size) {
            res.set_header("Connection", "close");
            throw HttpError(400, "bad_request", "The chunk goes past the declared size of the upload.",
                            {{"field", "offset"}});
        }
        const auto part = uploadsDir() / (sha + ".part");
        {
            std::ofstream out(part, std::ios::binary | std::ios::app);
            std::uint64_t received = 0;
            reader([&](const char* data, size_t n) {
                received += n;
                if (received > length) return false;
                out.write(data, static_cast<std::streamsize>(n));
                return static_cast<bool>(out);
            });
            out.flush();
        } // a dropped connection keeps what arrived: the client resumes from the new offset
        std::error_code ec;
        const std::uint64_t now = fs::file_size(part, ec);
        if (now == size) {
            const std::string actual = Sha256::ofPath(part);
            if (actual != sha) {
                fs::remove(part, ec);
                fs::remove(uploadsDir() / (sha + ".json"), ec);
                throw HttpError(400, "sha256_mismatch",
                                "The uploaded bytes hash to " + actual + ", not " + sha + "; upload again.");
            }
            fs::create_directories(blobsDir());
            fs::rename(part, blobsDir() / sha);
            fs::remove(uploadsDir() / (sha + ".json"), ec);
            db->addBlob(sha, size);
            logEvent("info", "upload_complete", {{"sha256", sha}, {"size", size}});
        }
        sendJson(res, 200, uploadState(sha));
    }

    // ---------------------------------------------------------------- jobs

    void submitJob(const httplib::Request& req, httplib::Response& res)
    {
        const Caller c = caller(req);
        const json body = parseBody(req);
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
        const std::string device = body.value("device", "auto");
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
        }
        if (db->countByState("queued") >= config.maxQueuedJobs) {
            throw HttpError(429, "limit_exceeded", "The queue is full; try again later.",
                            {{"limit", "max_queued_jobs"}, {"max", config.maxQueuedJobs}});
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
                    throw HttpError(400, "missing_input", "Pipeline '" + pipelineId + "' needs input '" + port.name + "'.",
                                    {{"input", port.name}});
                }
                const json& v = inputs[port.name];
                const std::string sha = v.is_string() ? v.get<std::string>() : v.value("sha256", "");
                const std::string name = safeFileName(v.is_object() ? v.value("name", "input") : "input");
                if (!isHex64(sha) || !db->hasBlob(sha) || !fs::exists(blobsDir() / sha)) {
                    throw HttpError(400, "unknown_upload",
                                    "Input '" + port.name + "' refers to " + (sha.empty() ? "nothing" : sha) +
                                        ", which is not on the server; upload it first.",
                                    {{"input", port.name}});
                }
                const fs::path local = materialiseInput(dir, port.name, sha, name);
                if (port.type == "image" || port.type == "labelmap") {
                    Size3 size{};
                    try {
                        size = readImageSize(local);
                    } catch (const Error& e) {
                        throw HttpError(400, "bad_input", std::string("Input '") + port.name + "': " + e.what(),
                                        {{"input", port.name}});
                    }
                    const std::uint64_t voxels = static_cast<std::uint64_t>(size[0]) * size[1] * size[2];
                    if (voxels > config.maxVoxels) {
                        throw HttpError(413, "limit_exceeded",
                                        "Input '" + port.name + "' has " + std::to_string(voxels) +
                                            " voxels; this server accepts at most " + std::to_string(config.maxVoxels) + ".",
                                        {{"limit", "max_voxels"}, {"max", config.maxVoxels}, {"value", voxels}});
                    }
                }
                resolvedInputs[port.name] = {{"sha256", sha}, {"name", name}};
            }
        } catch (...) {
            std::error_code ec;
            fs::remove_all(dir, ec);
            throw;
        }
        job.request = {{"pipeline", pipelineId}, {"parameters", params}, {"inputs", resolvedInputs},
                       {"device", device}, {"threads", threadsJson.get<int>()}};
        db->insertJob(job);
        try {
            queue->push(job);
        } catch (const QueueUnavailable& e) { // the row is stored: the queue gets it once Redis is back
            logEvent("warning", "queue_push_deferred", {{"job", job.id}, {"message", e.what()}});
        }
        logEvent("info", "job_submitted", {{"job", job.id}, {"pipeline", pipelineId}, {"owner", c.tokenId}});
        sendJson(res, 202, job.toJson());
    }

    fs::path materialiseInput(const fs::path& dir, const std::string& port, const std::string& sha, const std::string& name)
    {
        const fs::path target = dir / "inputs" / safeFileName(port) / name;
        std::error_code ec;
        fs::create_directories(target.parent_path());
        fs::remove(target, ec);
        fs::create_hard_link(blobsDir() / sha, target, ec);
        if (ec) {
            fs::copy_file(blobsDir() / sha, target, fs::copy_options::overwrite_existing);
        }
        return target;
    }

    json jobJson(const JobRecord& job)
    {
        json out = job.toJson();
        if (job.state == "running") {
            if (auto snap = hub.latest(job.id); snap && snap->event.contains("progress")) {
                out["progress"] = snap->event["progress"];
            }
        }
        return out;
    }

    void cancelJob(const httplib::Request& req, httplib::Response& res)
    {
        JobRecord job = ownedJob(req, req.matches[1]);
        const std::string state = db->requestCancel(job.id);
        stopRunning(job.id);
        if (state == "cancelled" && job.state == "queued") {
            hub.publish(job.id, {{"type", "state"}, {"state", "cancelled"}}, true);
        }
        logEvent("info", "job_cancel", {{"job", job.id}, {"state", state}});
        sendJson(res, 202, jobJson(*db->job(job.id)));
    }

    /// The job's owner asked to stop it: in-process workers through its stop_source, external ones via the queue.
    void stopRunning(const std::string& id)
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

    void deleteJob(const httplib::Request& req, httplib::Response& res)
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

    void removeJob(const std::string& id)
    {
        std::error_code ec;
        fs::remove_all(jobDir(id), ec);
        db->deleteJob(id);
        hub.forget(id);
        logEvent("info", "job_deleted", {{"job", id}});
    }

    void streamEvents(const httplib::Request& req, httplib::Response& res)
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

    void downloadFile(const httplib::Request& req, httplib::Response& res)
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

    // ---------------------------------------------------------------- workers

    void runJob(JobRecord job)
    {
        const auto t0 = Clock::now();
        logEvent("info", "job_started", {{"job", job.id}, {"pipeline", job.pipeline}, {"attempt", job.attempts}});
        std::stop_source stop;
        {
            std::lock_guard lock(runningMutex);
            running[job.id] = stop;
        }
        if (job.cancelRequested) stop.request_stop();
        hub.publish(job.id, {{"type", "state"}, {"state", "running"}}, false);

        pipeline::RunRequest request;
        request.pipeline = job.pipeline;
        request.parameters = job.request.value("parameters", json::object());
        request.device = job.request.value("device", "auto");
        const int threads = job.request.value("threads", 0);
        request.threads = threads > 0 ? threads : config.threadsPerJob;
        request.outputDir = bundleDir(job.id);
        std::error_code ec;
        fs::remove_all(request.outputDir, ec);
        for (const auto& e : fs::directory_iterator(jobDir(job.id), ec)) { // staging left by a crash
            if (e.path().filename().string().rfind(".bundle.partial-", 0) == 0) fs::remove_all(e.path(), ec);
        }
        pipeline::RunResult result;
        try {
            const json inputs = job.request.value("inputs", json::object());
            for (const auto& [port, v] : inputs.items()) {
                request.inputs[port] = materialiseInput(jobDir(job.id), port, v["sha256"], v["name"]);
            }
            JobProgressSink sink(job.id, hub, *db);
            pipeline::LocalExecutor executor(registry);
            result = executor.run(request, sink, stop.get_token());
        } catch (const std::exception& e) {
            result.status = pipeline::RunStatus::Failed;
            result.message = e.what();
        }
        {
            std::lock_guard lock(runningMutex);
            running.erase(job.id);
        }
        const bool userCancelled = db->job(job.id).value_or(job).cancelRequested;
        if (result.status == pipeline::RunStatus::Cancelled && !userCancelled && shuttingDown) {
            // Stopped by a server shutdown, not by its owner: stays "running" and is re-run after the restart.
            logEvent("info", "job_interrupted", {{"job", job.id}});
            return;
        }
        json files = json::array();
        if (result.status == pipeline::RunStatus::Succeeded) {
            try {
                std::vector<fs::path> paths;
                for (const auto& e : fs::recursive_directory_iterator(request.outputDir)) {
                    if (e.is_regular_file()) paths.push_back(e.path());
                }
                std::sort(paths.begin(), paths.end());
                for (const auto& p : paths) {
                    files.push_back({{"path", fs::relative(p, request.outputDir).generic_string()},
                                     {"size", fs::file_size(p)},
                                     {"sha256", Sha256::ofPath(p)}});
                }
            } catch (const std::exception& e) {
                result.status = pipeline::RunStatus::Failed;
                result.message = std::string("Cannot list the results: ") + e.what();
            }
        }
        const std::string state = pipeline::runStatusName(result.status);
        db->finishJob(job.id, state, result.message, files);
        queue->ack(job.id);
        // Inputs are hard links to blobs: drop them, the blob store keeps the bytes.
        fs::remove_all(jobDir(job.id) / "inputs", ec);
        hub.publish(job.id, {{"type", "state"}, {"state", state}}, true);
        logEvent("info", "job_finished",
                 {{"job", job.id}, {"state", state}, {"message", result.message},
                  {"seconds", std::chrono::duration<double>(Clock::now() - t0).count()}});
    }

    void workerLoop(std::stop_token stop)
    {
        while (!stop.stop_requested()) {
            std::optional<JobRecord> job;
            try {
                job = queue->pop(stop);
            } catch (const std::exception& e) {
                logEvent("error", "queue_error", {{"message", e.what()}});
                std::this_thread::sleep_for(std::chrono::seconds(1));
                continue;
            }
            if (!job) continue;
            try {
                runJob(std::move(*job));
            } catch (const std::exception& e) {
                logEvent("error", "worker_error", {{"message", e.what()}});
            }
        }
    }

    // ---------------------------------------------------------------- retention

    void enforceQuota(std::uint64_t extra)
    {
        if (config.diskQuotaBytes == 0) return;
        for (const auto& id : db->finishedJobs(0)) {
            if (directorySize(config.dataDir) + extra <= config.diskQuotaBytes) break;
            removeJob(id);
        }
    }

    void cleanUp()
    {
        const auto cutoff = unixNow() - static_cast<std::int64_t>(config.retentionHours * 3600);
        for (const auto& id : db->finishedJobs(cutoff)) {
            removeJob(id);
        }
        std::error_code ec;
        for (const auto& sha : db->unreferencedBlobs(cutoff)) {
            fs::remove(blobsDir() / sha, ec);
            db->removeBlob(sha);
        }
        for (const auto& e : fs::directory_iterator(uploadsDir(), ec)) {
            const auto age = fs::file_time_type::clock::now() - fs::last_write_time(e.path(), ec);
            if (age > std::chrono::duration<double>(config.retentionHours * 3600)) fs::remove(e.path(), ec);
        }
        enforceQuota(0);
    }

    // ---------------------------------------------------------------- routes

    /// Jobs that can run at once: built-in workers, or the live strata-worker processes.
    int workersAvailable() { return bridge ? static_cast<int>(bridge->workers().size()) : workerCount; }

    json versionJson()
    {
        json models = json::array();
        try {
            const fs::path root = findModelDir("knee").parent_path();
            for (const auto& e : fs::directory_iterator(root)) {
                if (!fs::exists(e.path() / "model.json")) continue;
                try {
                    const auto card = inference::ModelCard::load(e.path());
                    models.push_back({{"name", card.name}, {"version", card.version}, {"task", card.task},
                                      {"sha256", card.sha256}});
                } catch (const std::exception&) {
                }
            }
        } catch (const std::exception&) {
        }
        json pipelines = json::array();
        for (const auto& m : registry.manifests()) pipelines.push_back({{"id", m.id}, {"version", m.version}});
        return {{"server", {{"name", "strata-server"}, {"version", kVersion}}},
                {"api_version", kApiVersion},
                {"pipelines", pipelines},
                {"models", models},
                {"device", devices},
                {"workers", workersAvailable()},
                {"queue", bridge ? "redis" : "sqlite"},
                {"limits",
                 {{"max_upload_bytes", config.maxUploadBytes},
                  {"max_chunk_bytes", config.maxChunkBytes},
                  {"max_voxels", config.maxVoxels},
                  {"max_queued_jobs", config.maxQueuedJobs},
                  {"max_predict_bytes", config.maxPredictBytes},
                  {"max_predict_pixels", config.maxPredictPixels}}}};
    }

    /// Wraps a handler: HttpError and strata errors become JSON errors; the server keeps serving.
    template <typename F> auto guarded(F f)
    {
        return [this, f](const httplib::Request& req, httplib::Response& res) {
            try {
                f(req, res);
            } catch (const HttpError& e) {
                sendError(res, e.status, e.code, e.what(), e.extra);
            } catch (const InvalidArgument& e) {
                sendError(res, 400, "bad_request", e.what());
            } catch (const std::exception& e) {
                logEvent("error", "handler_error", {{"path", req.path}, {"message", e.what()}});
                sendError(res, 500, "internal", std::string("Internal server error: ") + e.what());
            }
        };
    }

    void routes()
    {
        const std::string p = kApiPrefix;
        auto& s = *http;
        s.Get(p + "/health", guarded([this](const httplib::Request& req, httplib::Response& res) {
            caller(req);
            sendJson(res, 200, {{"status", "ok"}, {"queued", db->countByState("queued")},
                                {"running", db->countByState("running")}, {"workers", workersAvailable()}});
        }));
        s.Get(p + "/version", guarded([this](const httplib::Request& req, httplib::Response& res) {
            caller(req);
            sendJson(res, 200, versionJson());
        }));
        s.Get(p + "/pipelines", guarded([this](const httplib::Request& req, httplib::Response& res) {
            caller(req);
            json out = json::array();
            for (const auto& m : registry.manifests()) out.push_back(m.toJson());
            sendJson(res, 200, out);
        }));
        s.Get(p + "/models", guarded([this](const httplib::Request& req, httplib::Response& res) {
            caller(req);
            sendJson(res, 200, versionJson()["models"]);
        }));
        s.Post(p + "/models/([A-Za-z0-9_.-]+)/predict",
               [this](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
                   guarded([this, &reader](const httplib::Request& rq, httplib::Response& rs) { predict(rq, rs, reader); })(req, res);
               });
        s.Post(p + "/uploads", guarded([this](const httplib::Request& req, httplib::Response& res) { startUpload(req, res); }));
        s.Get(p + "/uploads/([0-9a-f]{64})", guarded([this](const httplib::Request& req, httplib::Response& res) {
            caller(req);
            sendJson(res, 200, uploadState(req.matches[1]));
        }));
        s.Put(p + "/uploads/([0-9a-f]{64})",
              [this](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
                  try {
                      putChunk(req, res, reader);
                  } catch (const HttpError& e) {
                      sendError(res, e.status, e.code, e.what(), e.extra);
                  } catch (const std::exception& e) {
                      logEvent("error", "handler_error", {{"path", req.path}, {"message", e.what()}});
                      sendError(res, 500, "internal", std::string("Internal server error: ") + e.what());
                  }
              });
        s.Post(p + "/jobs", guarded([this](const httplib::Request& req, httplib::Response& res) { submitJob(req, res); }));
        s.Get(p + "/jobs", guarded([this](const httplib::Request& req, httplib::Response& res) {
            const Caller c = caller(req);
            int limit = 100;
            if (req.has_param("limit")) limit = std::clamp(std::atoi(req.get_param_value("limit").c_str()), 1, 10000);
            json out = json::array();
            for (const auto& j : db->jobs(c.admin ? "" : c.tokenId, limit)) out.push_back(jobJson(j));
            sendJson(res, 200, out);
        }));
        s.Get(p + "/jobs/([0-9a-f]{16})", guarded([this](const httplib::Request& req, httplib::Response& res) {
            sendJson(res, 200, jobJson(ownedJob(req, req.matches[1])));
        }));
        s.Get(p + "/jobs/([0-9a-f]{16})/events",
              guarded([this](const httplib::Request& req, httplib::Response& res) { streamEvents(req, res); }));
        s.Get(p + "/jobs/([0-9a-f]{16})/files/(.+)",
              guarded([this](const httplib::Request& req, httplib::Response& res) { downloadFile(req, res); }));
        s.Post(p + "/jobs/([0-9a-f]{16})/cancel",
               guarded([this](const httplib::Request& req, httplib::Response& res) { cancelJob(req, res); }));
        s.Delete(p + "/jobs/([0-9a-f]{16})",
                 guarded([this](const httplib::Request& req, httplib::Response& res) { deleteJob(req, res); }));

        // Nothing is revealed without a valid token, not even which routes exist.
        s.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
            try {
                if (authenticate(req)) return httplib::Server::HandlerResponse::Unhandled;
            } catch (const std::exception& e) {
                logEvent("error", "auth_error", {{"message", e.what()}});
            }
            res.set_header("WWW-Authenticate", "Bearer");
            res.set_header("Connection", "close"); // a body may follow unread: never reuse this connection
            sendError(res, 401, "unauthorized", "A valid bearer token is required.");
            return httplib::Server::HandlerResponse::Handled;
        });
        s.set_error_handler([](const httplib::Request&, httplib::Response& res) {
            if (!res.body.empty()) return;
            if (res.status == 413) {
                sendError(res, 413, "limit_exceeded", "The request body is too large.", {{"limit", "max_request_bytes"}});
            } else if (res.status == 404) {
                sendError(res, 404, "not_found", "No such route in API v1.");
            } else {
                sendError(res, res.status, "http_error", "HTTP error " + std::to_string(res.status) + ".");
            }
        });
        s.set_exception_handler([](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
            std::string what = "unknown";
            try {
                std::rethrow_exception(ep);
            } catch (const std::exception& e) {
                what = e.what();
            } catch (...) {
            }
            logEvent("error", "handler_exception", {{"path", req.path}, {"message", what}});
            sendError(res, 500, "internal", "Internal server error.");
        });
        s.set_logger([](const httplib::Request& req, const httplib::Response& res) {
            if (req.path.ends_with("/health")) return; // pollers
            logEvent(res.status >= 500 ? "error" : "info", "request",
                     {{"method", req.method}, {"path", req.path}, {"status", res.status}, {"remote", req.remote_addr}});
        });
    }
};

Server::Server(ServerConfig config, const pipeline::PipelineRegistry& registry)
    : impl_(std::make_unique<Impl>(std::move(config), registry))
{
}

Server::~Server()
{
    stop();
}

void Server::start()
{
    auto& d = *impl_;
    auto& cfg = d.config;
    if (cfg.allowAnonymous && !isLoopbackHost(cfg.host)) {
        throw InvalidArgument("Anonymous access is only allowed when the server listens on loopback (127.0.0.1 or ::1), "
                              "not on '" + cfg.host + "'.");
    }
    fs::create_directories(cfg.dataDir);
    fs::permissions(cfg.dataDir, fs::perms::owner_all, fs::perm_options::replace);
    cfg.dataDir = fs::canonical(cfg.dataDir);
    fs::create_directories(d.blobsDir());
    fs::create_directories(d.uploadsDir());
    fs::create_directories(cfg.dataDir / "jobs");
    d.db = std::make_unique<Database>(cfg.dataDir / "strata.db");
    if (d.db->liveTokenCount() == 0 && !cfg.allowAnonymous) {
        auto [info, secret] = d.db->createToken("admin", true);
        d.adminToken = secret;
        logEvent("info", "admin_token_created", {{"token_id", info.id}});
    }
    std::vector<std::string> requeued;
    if (cfg.queueUrl.empty()) {
        d.queue = std::make_unique<SqliteJobQueue>(*d.db, cfg.maxAttempts);
        requeued = d.queue->reclaim();
        for (const auto& id : requeued) logEvent("info", "job_requeued", {{"job", id}});
    } else { // strata-worker processes run the jobs; this server runs none itself
        auto redis = std::make_unique<RedisJobQueue>(RedisUrl::parse(cfg.queueUrl, cfg.redisPassword));
        redis->connect(); // QueueUnavailable: a clear message and exit code 3
        d.bridge = std::make_unique<WorkerEventBridge>(*redis, *d.db, cfg.dataDir,
                                                       [&d](const std::string& id, const json& e, bool terminal) {
                                                           d.hub.publish(id, e, terminal);
                                                       });
        d.queue = std::move(redis);
        requeued = d.bridge->start();
    }

    if (cfg.selfSigned && cfg.tlsCert.empty()) {
        cfg.tlsCert = cfg.dataDir / "tls" / "cert.pem";
        cfg.tlsKey = cfg.dataDir / "tls" / "key.pem";
        if (!fs::exists(cfg.tlsCert) || !fs::exists(cfg.tlsKey)) {
            // Names clients may use: the listen address, or for 0.0.0.0 this machine's name and IPv4 addresses.
            std::vector<std::string> hosts;
            if (!isLoopbackHost(cfg.host) && cfg.host != "0.0.0.0" && cfg.host != "::") {
                hosts.push_back(cfg.host);
            } else if (!isLoopbackHost(cfg.host)) {
                hosts.push_back(hostName());
                ifaddrs* addrs = nullptr;
                if (::getifaddrs(&addrs) == 0) {
                    for (ifaddrs* a = addrs; a; a = a->ifa_next) {
                        if (!a->ifa_addr || a->ifa_addr->sa_family != AF_INET) continue;
                        char buf[INET_ADDRSTRLEN];
                        ::inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(a->ifa_addr)->sin_addr, buf, sizeof buf);
                        if (!isLoopbackAddress(buf)) hosts.push_back(buf);
                    }
                    ::freeifaddrs(addrs);
                }
            }
            createSelfSignedCertificate(cfg.tlsCert, cfg.tlsKey, hosts);
        }
    }
    if (!cfg.tlsCert.empty()) {
        if (cfg.tlsKey.empty()) throw InvalidArgument("--tls-cert needs --tls-key.");
        d.http = std::make_unique<httplib::SSLServer>(cfg.tlsCert.c_str(), cfg.tlsKey.c_str());
        if (!d.http->is_valid()) {
            throw Error("Cannot use the TLS certificate '" + cfg.tlsCert.string() + "' with key '" + cfg.tlsKey.string() +
                        "' (missing, unreadable or not a matching pair).");
        }
        logEvent("info", "tls", {{"certificate", cfg.tlsCert.string()}, {"sha256_fingerprint", certificateFingerprint(cfg.tlsCert)}});
    } else {
        d.http = std::make_unique<httplib::Server>();
    }
    const int threads = std::max(8, cfg.httpThreads);
    d.http->new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
    d.http->set_payload_max_length(cfg.maxChunkBytes + (1 << 20));
    d.http->set_keep_alive_max_count(1000);
    d.http->set_tcp_nodelay(true); // headers and body go out in separate writes: no Nagle + delayed-ACK 40 ms stalls
    d.http->set_keep_alive_timeout(5); // idle keep-alive connections hold a thread and delay shutdown
    d.http->set_read_timeout(60);
    d.http->set_write_timeout(60);
    d.routes();

    d.devices = describeDevices();
    const int gpus = static_cast<int>(d.devices["gpus"].size());
    d.workerCount = cfg.workers > 0 ? cfg.workers : (gpus > 0 ? gpus * std::max(1, cfg.slotsPerGpu) : 1);
    if (d.queue->external()) d.workerCount = 0;

    if (cfg.port == 0) {
        d.boundPort = d.http->bind_to_any_port(cfg.host);
    } else {
        d.boundPort = d.http->bind_to_port(cfg.host, cfg.port) ? cfg.port : -1;
    }
    if (d.boundPort <= 0) {
        throw Error("Cannot listen on " + cfg.host + ":" + std::to_string(cfg.port) +
                    " (address in use, or not an address of this machine).");
    }
    for (int i = 0; i < d.workerCount; ++i) {
        d.workers.emplace_back([&d](std::stop_token stop) { d.workerLoop(stop); });
    }
    d.janitor = std::jthread([&d](std::stop_token stop) {
        std::mutex m;
        std::condition_variable_any cv;
        while (!stop.stop_requested()) {
            try {
                d.cleanUp();
            } catch (const std::exception& e) {
                logEvent("error", "cleanup_error", {{"message", e.what()}});
            }
            std::unique_lock lock(m);
            cv.wait_for(lock, stop, std::chrono::seconds(60), [] { return false; });
        }
    });
    d.listener = std::thread([&d] { d.http->listen_after_bind(); });
    if (!cfg.portFile.empty()) {
        const auto tmp = cfg.portFile.string() + ".tmp";
        std::ofstream(tmp) << d.boundPort << '\n';
        fs::rename(tmp, cfg.portFile);
    }
    logEvent("info", "listening", {{"host", cfg.host}, {"port", d.boundPort}, {"tls", !cfg.tlsCert.empty()},
                                   {"workers", d.workerCount}, {"data_dir", cfg.dataDir.string()},
                                   {"queue", d.bridge ? RedisUrl::parse(cfg.queueUrl).display() : "sqlite"},
                                   {"device", d.devices["summary"]}, {"requeued_jobs", requeued.size()}});
}

int Server::port() const
{
    return impl_->boundPort;
}

void Server::wait()
{
    if (impl_->listener.joinable()) impl_->listener.join();
}

void Server::stop()
{
    auto& d = *impl_;
    if (d.shuttingDown.exchange(true)) {
        wait();
        return;
    }
    d.hub.shutdown();
    if (d.http) d.http->stop();
    {
        std::lock_guard lock(d.runningMutex);
        for (auto& [id, s] : d.running) s.request_stop();
    }
    for (auto& w : d.workers) w.request_stop();
    if (d.queue) d.queue->wakeAll();
    d.workers.clear();
    if (d.bridge) d.bridge->stop();
    d.janitor = {};
    wait();
    logEvent("info", "stopped");
}

const std::string& Server::initialAdminToken() const
{
    return impl_->adminToken;
}

} // namespace strata::remote

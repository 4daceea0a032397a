#pragma once

// Server::Impl and the HTTP helpers it uses: shared by Server.cpp (start/stop) and the files that define its
// methods by area: ServerUploads.cpp (auth, uploads, predict), ServerJobs.cpp (jobs, events, files),
// ServerWorkers.cpp (in-process workers, retention), ServerRoutes.cpp (routes, version).
#include "strata/remote/Server.h"

#include "AuthThrottle.h"
#include "DeviceInfo.h"
#include "PathRedaction.h"
#include "GuardedHttpServer.h"
#include "PredictService.h"
#include "ProgressHub.h"
#include "WorkerEventBridge.h"
#include "strata/core/Error.h"
#include "strata/core/ImageIO.h"
#include "strata/core/JsonLimits.h"
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

namespace server_detail {

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

inline void sendJson(httplib::Response& res, int status, const json& body)
{
    res.status = status;
    res.set_content(dumpJson(body), "application/json"); // invalid UTF-8 (e.g. from a URL) is replaced, not thrown
}

inline void sendError(httplib::Response& res, int status, const std::string& code, const std::string& message,
               const json& extra = json::object())
{
    json error{{"code", code}, {"message", message}};
    error.update(extra);
    sendJson(res, status, {{"error", error}});
}

inline json parseBody(const httplib::Request& req)
{
    json body;
    try {
        body = parseJson(req.body, false);
    } catch (const InvalidArgument& e) {
        throw HttpError(400, "bad_json", std::string("The request body is refused: ") + e.what(), {{"limit", "max_json_depth"}, {"max", kMaxJsonDepth}});
    }
    if (body.is_discarded()) {
        throw HttpError(400, "bad_json", "The request body is not valid JSON.");
    }
    if (!body.is_object()) {
        throw HttpError(400, "bad_json", "The request body must be a JSON object.");
    }
    return body;
}

/// A string field of a request body: absent gives the fallback; any other type is a 400 naming the field.
inline std::string stringField(const json& body, const std::string& field, const std::string& fallback)
{
    const auto it = body.find(field);
    if (it == body.end()) return fallback;
    if (!it->is_string()) {
        throw HttpError(400, "bad_request", "'" + field + "' must be a string, got " + jsonPreview(*it) + ".",
                        {{"field", field}});
    }
    return it->get<std::string>();
}

inline bool isLoopbackHost(const std::string& host)
{
    return host == "127.0.0.1" || host == "::1" || host == "localhost" || host.rfind("127.", 0) == 0;
}

inline bool isLoopbackAddress(const std::string& addr)
{
    return addr == "::1" || addr.rfind("127.", 0) == 0 || addr.rfind("::ffff:127.", 0) == 0;
}

/// Keeps what a client calls its file, reduced to a safe single name: [A-Za-z0-9._-], no leading dot.
inline std::string safeFileName(const std::string& name)
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

inline bool isHex64(const std::string& s)
{
    return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

inline std::uint64_t directorySize(const fs::path& dir)
{
    std::uint64_t total = 0;
    std::error_code ec;
    for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->is_regular_file(ec)) total += it->file_size(ec);
    }
    return total;
}

inline json progressJson(const pipeline::ProgressEvent& e)
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

} // namespace server_detail

using namespace server_detail;

struct Server::Impl {
    ServerConfig config;
    const pipeline::PipelineRegistry& registry;
    std::unique_ptr<Database> db;
    std::unique_ptr<JobQueue> queue;
    std::unique_ptr<WorkerEventBridge> bridge; ///< with --queue redis://...: events of strata-worker processes
    std::unique_ptr<PredictService> predictor; ///< the synchronous predict endpoint (models load on first use)
    std::unique_ptr<GuardedHttpServer> http;
    ProgressHub hub;
    AuthThrottle authThrottle{config.authFailuresPerMinute};
    json devices;
    std::string adminToken;
    int boundPort{0};
    int workerCount{1};
    std::uint64_t jobMemoryBudget{0}; ///< bytes one job may use (ServerConfig::maxJobMemoryBytes or derived)
    std::atomic<bool> shuttingDown{false};
    std::vector<std::jthread> workers;
    std::jthread janitor;
    std::thread listener;

    std::mutex runningMutex;
    std::map<std::string, std::stop_source> running;

    std::mutex uploadLocksMutex;
    std::map<std::string, std::shared_ptr<std::mutex>> uploadLocks; ///< by "<owner>/<sha256>"

    Impl(ServerConfig c, const pipeline::PipelineRegistry& r)
        : config(std::move(c)), registry(r),
          predictor(std::make_unique<PredictService>(PredictService::Options{
              static_cast<std::size_t>(std::max(1, config.predictMaxBatch)), config.predictMaxWaitMicros,
              config.maxPredictPixels, "auto", config.threadsPerJob}))
    {
    }

    fs::path blobsDir() const { return config.dataDir / "blobs"; }
    fs::path uploadsDir() const { return config.dataDir / "uploads"; }
    /// The owner's partial uploads: uploads/<token id>/<sha256>.part and .json (two tokens never share one).
    fs::path uploadsDir(const std::string& owner) const;
    fs::path jobDir(const std::string& id) const { return config.dataDir / "jobs" / id; }
    fs::path bundleDir(const std::string& id) const { return jobDir(id) / "bundle"; }

    // ---------------------------------------------------------------- auth

    std::optional<Caller> authenticate(const httplib::Request& req);

    Caller caller(const httplib::Request& req);

    JobRecord ownedJob(const httplib::Request& req, const std::string& id);

    // ---------------------------------------------------------------- uploads

    std::shared_ptr<std::mutex> uploadLock(const std::string& owner, const std::string& sha);

    /// The caller's view of an upload: complete when it owns the blob, else its own partial upload; 404 when
    /// neither (even if another token stored the same bytes).
    json uploadState(const Caller& c, const std::string& sha);

    void checkQuota(std::uint64_t extra);

    void startUpload(const httplib::Request& req, httplib::Response& res);

    void predict(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader);

    void putChunk(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader);

    // ---------------------------------------------------------------- jobs

    void submitJob(const httplib::Request& req, httplib::Response& res);

    fs::path materialiseInput(const fs::path& dir, const std::string& port, const std::string& sha, const std::string& name);

    /// 400 bad_input when the input's header (MetaImage, NRRD) refers to a data file outside its own folder.
    void checkInputDataFiles(const std::string& port, const fs::path& local);

    json jobJson(const JobRecord& job);

    void cancelJob(const httplib::Request& req, httplib::Response& res);

    /// The job's owner asked to stop it: in-process workers through its stop_source, external ones via the queue.
    void stopRunning(const std::string& id);

    void deleteJob(const httplib::Request& req, httplib::Response& res);

    void removeJob(const std::string& id);

    void streamEvents(const httplib::Request& req, httplib::Response& res);

    void downloadFile(const httplib::Request& req, httplib::Response& res);

    // ---------------------------------------------------------------- workers

    void runJob(JobRecord job);

    void workerLoop(std::stop_token stop);

    // ---------------------------------------------------------------- retention

    void enforceQuota(std::uint64_t extra);

    void cleanUp();

    // ---------------------------------------------------------------- routes

    /// Jobs that can run at once: built-in workers, or the live strata-worker processes.
    int workersAvailable() { return bridge ? static_cast<int>(bridge->workers().size()) : workerCount; }

    json versionJson();

    /// The client's address: the peer's, or for a trusted proxy (--trusted-proxies) the last X-Forwarded-For entry.
    std::string clientAddress(const httplib::Request& req) const
    {
        const std::string& peer = req.remote_addr;
        const std::string& trusted = config.trustedProxies;
        bool trust = trusted == "*";
        for (std::size_t at = 0; !trust && at <= trusted.size();) {
            const std::size_t comma = std::min(trusted.find(',', at), trusted.size());
            const std::string entry = trusted.substr(at, comma - at);
            trust = !entry.empty() && (entry == peer || "::ffff:" + entry == peer);
            at = comma + 1;
        }
        const std::string forwarded = trust ? req.get_header_value("X-Forwarded-For") : "";
        if (forwarded.empty()) return peer;
        std::string last = forwarded.substr(forwarded.find_last_of(',') == std::string::npos ? 0 : forwarded.find_last_of(',') + 1);
        last.erase(0, last.find_first_not_of(' '));
        last.erase(last.find_last_not_of(' ') + 1);
        return last.empty() || last.size() > 64 ? peer : last;
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
            } catch (const nlohmann::json::exception& e) { // a field of the wrong type that no check named
                logEvent("warning", "bad_field_type", {{"path", req.path}, {"message", e.what()}});
                sendError(res, 400, "bad_request", "A field of the request has the wrong type or is missing.");
            } catch (const std::exception& e) {
                internalError(req, res, e.what());
            }
        };
    }

    void routes();

    /// 500 without the exception's text (it may name server paths): the text goes to the log under a reference.
    static void internalError(const httplib::Request& req, httplib::Response& res, const std::string& what)
    {
        const std::string ref = randomHex(4);
        logEvent("error", "handler_error", {{"path", req.path}, {"message", what}, {"reference", ref}});
        sendError(res, 500, "internal", "Internal server error (reference " + ref + " in the server log).",
                  {{"reference", ref}});
    }
};

} // namespace strata::remote

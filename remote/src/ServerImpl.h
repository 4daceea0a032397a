#pragma once

// Server::Impl, shared by Server.cpp (start/stop) and the files that define its methods by area:
// ServerUploads.cpp (auth, uploads, predict), ServerJobs.cpp (jobs, events, files), ServerWorkers.cpp (in-process
// workers, retention), ServerRoutes.cpp (routes, version). Its HTTP helpers are in HttpSupport.h, the progress
// forwarding of a running job in JobProgressSink.h.
#include "strata/remote/Server.h"

#include "AuthThrottle.h"
#include "DeviceInfo.h"
#include "HttpSupport.h"
#include "JobInput.h"
#include "JobProgressSink.h"
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

/// Who sent a request: a token id (or "anonymous" on loopback with --allow-anonymous), and whether it is an admin.
struct Caller {
    std::string tokenId;
    bool admin{false};
};

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

    /// 429 when `jobs` more queued jobs would pass max_queued_jobs.
    void checkQueueRoom(std::size_t jobs);

    /// Checks a job request ({"pipeline", "parameters", "inputs", "device", "threads"}: pipeline, parameters, the
    /// caller's own uploads, sizes and memory against the limits) and puts its inputs into a new job folder; the
    /// job is not stored or queued yet. Throws HttpError (the folder removed) when anything is wrong.
    JobRecord prepareJob(const Caller& c, const json& body);

    /// Stores a prepared job and queues it.
    void enqueueJob(const JobRecord& job);

    // ---------------------------------------------------------------- cohorts (ServerCohorts.cpp)

    /// POST /cohorts: {"pipeline", "parameters", "device", "threads", "cases": [{"subject", "timepoint",
    /// "inputs"}]}: every case checked as a job first, then all queued as one group (all or nothing).
    void submitCohort(const httplib::Request& req, httplib::Response& res);
    /// The caller's cohort (admins: any), else 404.
    CohortRecord ownedCohort(const httplib::Request& req, const std::string& id);
    /// The group with each case's job state, message and progress, and counts per state.
    json cohortJson(const CohortRecord& cohort);
    /// cohort.csv of the finished cases (subject,timepoint,structure,region,measure,value,unit).
    std::string cohortTable(const CohortRecord& cohort);
    void cancelCohort(const httplib::Request& req, httplib::Response& res);

    /// Puts blob `sha` at `target` (a hard link; a copy where links fail).
    void linkBlob(const std::string& sha, const fs::path& target);

    /// A submitted file input (a sha256, or {"sha256", "name"}): the caller's own upload, its name made safe;
    /// 400 unknown_upload otherwise.
    JobInput fileInput(const Caller& c, const std::string& port, const json& v);

    /// A submitted folder input ({"name", "files": [{"sha256", "name"}, ...]}, a DICOM series): every file the
    /// caller's own upload, at most max_input_files files and max_upload_bytes in all (413), names made safe and
    /// none twice (400); nothing is written.
    JobInput folderInput(const Caller& c, const std::string& port, const json& v);

    /// An image input's size from its header (a DICOM folder's from its headers) against max_voxels and the job
    /// memory budget (413); 400 bad_input when it cannot be read.
    void checkInputSize(const std::string& port, const fs::path& local, const fs::path& jobFolder,
                        const pipeline::PipelineManifest& manifest);

    /// 400 bad_input when the input's header (MetaImage, NRRD) refers to a data file outside its own folder.
    void checkInputDataFiles(const std::string& port, const fs::path& local);

    json jobJson(const JobRecord& job);

    void cancelJob(const httplib::Request& req, httplib::Response& res);

    /// Marks the job cancelled (queued) or asks it to stop (running); returns its state afterwards.
    std::string requestJobCancel(const JobRecord& job);

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

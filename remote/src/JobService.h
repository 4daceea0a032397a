#pragma once

#include "AuthService.h"
#include "JobInput.h"
#include "ServerContext.h"
#include "UploadService.h"
#include "WorkerService.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

namespace strata::remote {

/// Jobs over HTTP: submission (checking pipeline, parameters, the caller's own uploads and sizes against the
/// limits), listing and status, progress events, result files, cancel and delete, and retention (old results
/// and the disk quota). Running them is WorkerService's (or strata-worker's) part.
class JobService {
public:
    JobService(ServerContext& ctx, AuthService& auth, UploadService& uploads, WorkerService& workers)
        : ctx_(ctx), auth_(auth), uploads_(uploads), workers_(workers)
    {
    }

    /// POST /jobs: 202 and the queued job.
    void submit(const httplib::Request& req, httplib::Response& res);
    /// GET /jobs[?limit=N]: the caller's jobs (admins: all), newest first; a folder input by its file count.
    void list(const httplib::Request& req, httplib::Response& res);
    /// GET /jobs/{id}.
    void status(const httplib::Request& req, httplib::Response& res);
    /// GET /jobs/{id}/events: Server-Sent Events (status, progress) until the job is finished.
    void streamEvents(const httplib::Request& req, httplib::Response& res);
    /// GET /jobs/{id}/files/{path}: one file of a succeeded job's bundle, from the job's own listing.
    void downloadFile(const httplib::Request& req, httplib::Response& res);
    /// POST /jobs/{id}/cancel.
    void cancel(const httplib::Request& req, httplib::Response& res);
    /// DELETE /jobs/{id}: 409 while it still runs (it is asked to cancel).
    void remove(const httplib::Request& req, httplib::Response& res);

    /// 429 when `jobs` more queued jobs would pass max_queued_jobs.
    void checkQueueRoom(std::size_t jobs);
    /// Checks a job request ({"pipeline", "parameters", "inputs", "device", "threads"}: pipeline, parameters, the
    /// caller's own uploads, sizes and memory against the limits) and puts its inputs into a new job folder; the
    /// job is not stored or queued yet. Throws HttpError (the folder removed) when anything is wrong.
    [[nodiscard]] JobRecord prepareJob(const Caller& c, const nlohmann::json& body);
    /// Stores a prepared job and queues it.
    void enqueueJob(const JobRecord& job);
    /// Queues a job already stored (a cohort's, stored with it); with Redis unreachable it is queued once it is back.
    void queueStoredJob(const JobRecord& job);
    /// The stored job, with its latest progress while it runs.
    [[nodiscard]] nlohmann::json jobJson(const JobRecord& job);
    /// Marks the job cancelled (queued) or asks it to stop (running); returns its state afterwards.
    std::string requestJobCancel(const JobRecord& job);

    /// Removes finished jobs past the retention time, expired blobs and partial uploads, then keeps the quota.
    void cleanUp();
    /// Removes the oldest finished jobs until `extra` more bytes fit the disk quota (or none is left).
    void enforceQuota(std::uint64_t extra);

private:
    /// The caller's job (admins: any), else 404.
    [[nodiscard]] JobRecord ownedJob(const httplib::Request& req, const std::string& id);
    /// The job's owner asked to stop it: in-process workers through its stop_source, external ones via the queue.
    void stopRunning(const std::string& id);
    void removeJob(const std::string& id);

    // Input checks (JobInputChecks.cpp).
    /// A submitted file input (a sha256, or {"sha256", "name"}): the caller's own upload, its name made safe;
    /// 400 unknown_upload otherwise.
    [[nodiscard]] JobInput fileInput(const Caller& c, const std::string& port, const nlohmann::json& v);
    /// A submitted folder input ({"name", "files": [{"sha256", "name"}, ...]}, a DICOM series): every file the
    /// caller's own upload, at most max_input_files files and max_upload_bytes in all (413), names made safe and
    /// none twice (400); nothing is written.
    [[nodiscard]] JobInput folderInput(const Caller& c, const std::string& port, const nlohmann::json& v);
    /// An image input's size from its header (a DICOM folder's from its headers) against max_voxels and the job
    /// memory budget (413); 400 bad_input when it cannot be read.
    void checkInputSize(const std::string& port, const std::filesystem::path& local,
                        const std::filesystem::path& jobFolder, const pipeline::PipelineManifest& manifest);
    /// 400 bad_input when the input's header (MetaImage, NRRD) refers to a data file outside its own folder.
    void checkInputDataFiles(const std::string& port, const std::filesystem::path& local);

    ServerContext& ctx_;
    AuthService& auth_;
    UploadService& uploads_;
    WorkerService& workers_;
};

} // namespace strata::remote

#include "ServerImpl.h"

#include "strata/core/DataFileReferences.h"

namespace strata::remote {

void Server::Impl::runJob(JobRecord job)
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
            const JobInput input = JobInput::fromJson(port, v);
            request.inputs[port] = input.materialise(jobDir(job.id) / "inputs" / safeFileName(port),
                                                     [&](const std::string& sha, const fs::path& target) {
                                                         linkBlob(sha, target);
                                                     });
            request.inputLabels[port] = input.name;
            if (!input.folder) requireDataFilesInside(request.inputs[port], request.inputs[port].parent_path());
        }
        JobProgressSink sink(job.id, hub, *db);
        pipeline::LocalExecutor executor(registry);
        result = executor.run(request, sink, stop.get_token());
    } catch (const std::exception& e) {
        result.status = pipeline::RunStatus::Failed;
        result.message = e.what();
    }
    result.message = withoutServerPath(withoutServerPath(result.message, jobDir(job.id), "the job folder"), config.dataDir,
                                       "the server's data folder");
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

void Server::Impl::workerLoop(std::stop_token stop)
{
    while (!stop.stop_requested()) {
        std::optional<JobRecord> job = queue->popOrPause(stop);
        if (!job) continue;
        try {
            runJob(std::move(*job));
        } catch (const std::exception& e) {
            logEvent("error", "worker_error", {{"message", e.what()}});
        }
    }
}

void Server::Impl::enforceQuota(std::uint64_t extra)
{
    if (config.diskQuotaBytes == 0) return;
    for (const auto& id : db->finishedJobs(0)) {
        if (directorySize(config.dataDir) + extra <= config.diskQuotaBytes) break;
        removeJob(id);
    }
}

void Server::Impl::cleanUp()
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
    // Partial uploads: uploads/<owner>/<sha256>.part|.json (files left in uploads/ by older versions too).
    const auto expired = [this](const fs::path& p) {
        std::error_code timeError;
        const auto age = fs::file_time_type::clock::now() - fs::last_write_time(p, timeError);
        return !timeError && age > std::chrono::duration<double>(config.retentionHours * 3600);
    };
    for (const auto& e : fs::directory_iterator(uploadsDir(), ec)) {
        if (e.is_directory(ec)) {
            for (const auto& f : fs::directory_iterator(e.path(), ec)) {
                if (expired(f.path())) fs::remove(f.path(), ec);
            }
            if (fs::is_empty(e.path(), ec) && expired(e.path())) fs::remove(e.path(), ec);
        } else if (expired(e.path())) {
            fs::remove(e.path(), ec);
        }
    }
    enforceQuota(0);
}

} // namespace strata::remote

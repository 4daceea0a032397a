#include "WorkerService.h"

#include "DiskFull.h"
#include "HttpSupport.h"
#include "JobInput.h"
#include "JobProgressSink.h"
#include "PathRedaction.h"
#include "strata/DataFileReferences.h"
#include "strata/Sha256.h"
#include "strata/pipeline/LocalExecutor.h"
#include "strata/remote/Log.h"

#include <algorithm>
#include <chrono>
#include <thread>

namespace strata::remote {

using Clock = std::chrono::steady_clock;

void WorkerService::start(int count)
{
    for (int i = 0; i < count; ++i) {
        workers_.emplace_back([this](std::stop_token stop) { workerLoop(stop); });
    }
}

void WorkerService::requestStop()
{
    {
        std::lock_guard lock(runningMutex_);
        for (auto& [id, s] : running_) s.request_stop();
    }
    for (auto& w : workers_) w.request_stop();
}

void WorkerService::join()
{
    workers_.clear();
}

void WorkerService::stopJob(const std::string& id)
{
    std::lock_guard lock(runningMutex_);
    if (auto it = running_.find(id); it != running_.end()) it->second.request_stop();
}

void WorkerService::runJob(JobRecord job)
{
    const auto t0 = Clock::now();
    logEvent("info", "job_started", {{"job", job.id}, {"pipeline", job.pipeline}, {"attempt", job.attempts}});
    std::stop_source stop;
    {
        std::lock_guard lock(runningMutex_);
        running_[job.id] = stop;
    }
    // The flag again, now that the stop source is registered: a cancel between the claim (which read the row) and
    // the registration found no stop source and only set the flag. Seen once under load: a cohort's first case ran
    // its 10 s to the end after the cohort was cancelled (RemoteCohort.ABadCaseRefusesTheWholeGroupNamingTheCase).
    if (job.cancelRequested || ctx_.db->job(job.id).value_or(job).cancelRequested) stop.request_stop();
    ctx_.hub.publish(job.id, {{"type", "state"}, {"state", "running"}}, false);

    pipeline::RunRequest request;
    request.pipeline = job.pipeline;
    request.parameters = job.request.value("parameters", json::object());
    request.device = job.request.value("device", "auto");
    const int threads = job.request.value("threads", 0);
    request.threads = threads > 0 ? threads : ctx_.config.threadsPerJob;
    request.outputDir = ctx_.bundleDir(job.id);
    std::error_code ec;
    fs::remove_all(request.outputDir, ec);
    for (const auto& e : fs::directory_iterator(ctx_.jobDir(job.id), ec)) { // staging left by a crash
        if (e.path().filename().string().rfind(".bundle.partial-", 0) == 0) fs::remove_all(e.path(), ec);
    }
    pipeline::RunResult result;
    try {
        const json inputs = job.request.value("inputs", json::object());
        for (const auto& [port, v] : inputs.items()) {
            const JobInput input = JobInput::fromJson(port, v);
            request.inputs[port] = input.materialise(ctx_.jobDir(job.id) / "inputs" / safeFileName(port),
                                                     [&](const std::string& sha, const fs::path& target) {
                                                         uploads_.linkBlob(sha, target);
                                                     });
            request.inputLabels[port] = input.name;
            if (!input.folder) requireDataFilesInside(request.inputs[port], request.inputs[port].parent_path());
        }
        JobProgressSink sink(job.id, ctx_.hub, *ctx_.db);
        pipeline::LocalExecutor executor(ctx_.registry);
        result = executor.run(request, sink, stop.get_token());
    } catch (const std::exception& e) {
        result.status = pipeline::RunStatus::Failed;
        result.message = jobFailureMessage(e);
    }
    result.message = withoutServerPath(withoutServerPath(result.message, ctx_.jobDir(job.id), "the job folder"), ctx_.config.dataDir,
                                       "the server's data folder");
    {
        std::lock_guard lock(runningMutex_);
        running_.erase(job.id);
    }
    const bool userCancelled = ctx_.db->job(job.id).value_or(job).cancelRequested;
    if (result.status == pipeline::RunStatus::Cancelled && !userCancelled && ctx_.shuttingDown) {
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
    // A full disk may refuse the job's end too: retried until there is room (the job stays "running" meanwhile;
    // a server stopped before that re-runs it at its next start).
    for (int attempt = 0;; ++attempt) {
        try {
            ctx_.db->finishJob(job.id, state, result.message, files);
            break;
        } catch (const std::exception& e) {
            if (!isDiskFull(e) || ctx_.shuttingDown) throw;
            if (attempt == 0) logEvent("error", "disk_full", {{"job", job.id}, {"message", e.what()}});
            std::this_thread::sleep_for(std::chrono::seconds(1));
        }
    }
    ctx_.queue->ack(job.id);
    // Inputs are hard links to blobs: drop them, the blob store keeps the bytes.
    fs::remove_all(ctx_.jobDir(job.id) / "inputs", ec);
    ctx_.hub.publish(job.id, {{"type", "state"}, {"state", state}}, true);
    logEvent("info", "job_finished",
             {{"job", job.id}, {"state", state}, {"message", result.message},
              {"seconds", std::chrono::duration<double>(Clock::now() - t0).count()}});
}

void WorkerService::workerLoop(std::stop_token stop)
{
    while (!stop.stop_requested()) {
        std::optional<JobRecord> job = ctx_.queue->popOrPause(stop);
        if (!job) continue;
        try {
            runJob(std::move(*job));
        } catch (const std::exception& e) {
            logEvent("error", "worker_error", {{"message", e.what()}});
        }
    }
}

} // namespace strata::remote

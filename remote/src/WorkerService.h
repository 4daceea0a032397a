#pragma once

#include "ServerContext.h"
#include "UploadService.h"

#include <map>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

namespace strata::remote {

/// strata-server's own workers (without --queue redis://): threads that take jobs from the queue and run each
/// with a LocalExecutor in its job folder, publish progress, list and hash the bundle and record the result.
/// A job stopped by a shutdown (not by its owner) stays "running" and runs again after a restart.
class WorkerService {
public:
    WorkerService(ServerContext& ctx, UploadService& uploads) : ctx_(ctx), uploads_(uploads) {}

    /// Starts `count` worker threads.
    void start(int count);
    /// Asks every running job and every worker thread to stop (call the queue's wakeAll() next).
    void requestStop();
    /// Waits for the worker threads to end.
    void join();
    /// Asks the job to stop if one of these workers runs it; nothing otherwise.
    void stopJob(const std::string& id);

private:
    void runJob(JobRecord job);
    void workerLoop(std::stop_token stop);

    ServerContext& ctx_;
    UploadService& uploads_;
    std::vector<std::jthread> workers_;
    std::mutex runningMutex_;
    std::map<std::string, std::stop_source> running_;
};

} // namespace strata::remote

#pragma once

#include "strata/remote/Database.h"
#include "strata/remote/RedisJobQueue.h"

#include <filesystem>
#include <functional>
#include <thread>

namespace strata::remote {

/// Server side of the Redis queue: applies strata-worker events (started, progress, finished) to the job rows
/// in SQLite and hands them to the server's progress hub, so the HTTP API, its Server-Sent Events and
/// RemoteExecutor work as with in-process workers. Every event may arrive twice (at-least-once): a start only
/// moves a queued/running row, a finish only a row that is not finished (a second completion changes nothing).
/// reconcile() (at start and every 10 s) pushes again any active job Redis does not know (Redis lost it, or the
/// server died between the row and the push) and applies results whose event was lost.
class WorkerEventBridge {
public:
    using Publish = std::function<void(const std::string& jobId, const nlohmann::json& event, bool terminal)>;

    WorkerEventBridge(RedisJobQueue& queue, Database& db, std::filesystem::path dataDir, Publish publish);
    ~WorkerEventBridge();
    WorkerEventBridge(const WorkerEventBridge&) = delete;
    WorkerEventBridge& operator=(const WorkerEventBridge&) = delete;

    /// Reconciles once (returns the ids pushed again) and starts the event thread.
    std::vector<std::string> start();
    void stop();
    /// Live workers' descriptions (cached for a second).
    nlohmann::json workers();

private:
    std::vector<std::string> reconcile(bool initial = false);
    void apply(const std::string& jobId, const nlohmann::json& event);
    void loop(std::stop_token stop);

    RedisJobQueue& queue_;
    Database& db_;
    std::filesystem::path dataDir_;
    Publish publish_;
    std::mutex workersMutex_;
    nlohmann::json workers_ = nlohmann::json::array();
    std::chrono::steady_clock::time_point workersAt_{};
    std::map<std::string, std::chrono::steady_clock::time_point> lastProgressWrite_;
    std::jthread thread_;
};

} // namespace strata::remote

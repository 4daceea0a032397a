#pragma once

#include "ProgressHub.h"
#include "WorkerEventBridge.h"
#include "strata/pipeline/PipelineRegistry.h"
#include "strata/remote/Database.h"
#include "strata/remote/JobQueue.h"
#include "strata/remote/Server.h"

#include <nlohmann/json.hpp>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

namespace strata::remote {

/// What strata-server's services share: the configuration, the store, the queue and the progress hub, and the
/// data folder's layout. Server::start() fills it (the store and queue exist from then on); the services
/// (AuthService, UploadService, JobService, CohortService, WorkerService, ModelService) read it at request time
/// and keep their own state themselves.
struct ServerContext {
    ServerContext(ServerConfig c, const pipeline::PipelineRegistry& r) : config(std::move(c)), registry(r) {}

    ServerConfig config;
    const pipeline::PipelineRegistry& registry;
    std::unique_ptr<Database> db;
    std::unique_ptr<JobQueue> queue;
    std::unique_ptr<WorkerEventBridge> bridge; ///< with --queue redis://...: events of strata-worker processes
    ProgressHub hub;
    nlohmann::json devices;
    int workerCount{1};
    std::uint64_t jobMemoryBudget{0}; ///< bytes one job may use (ServerConfig::maxJobMemoryBytes or derived)
    std::atomic<bool> shuttingDown{false};

    [[nodiscard]] std::filesystem::path blobsDir() const { return config.dataDir / "blobs"; }
    [[nodiscard]] std::filesystem::path uploadsDir() const { return config.dataDir / "uploads"; }
    [[nodiscard]] std::filesystem::path jobDir(const std::string& id) const { return config.dataDir / "jobs" / id; }
    [[nodiscard]] std::filesystem::path bundleDir(const std::string& id) const { return jobDir(id) / "bundle"; }

    /// Jobs that can run at once: built-in workers, or the live strata-worker processes.
    [[nodiscard]] int workersAvailable() const
    {
        return bridge ? static_cast<int>(bridge->workers().size()) : workerCount;
    }
};

} // namespace strata::remote

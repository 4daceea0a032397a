#pragma once

#include "strata/pipeline/PipelineRegistry.h"
#include "strata/remote/JobQueue.h"

#include <chrono>
#include <filesystem>
#include <memory>
#include <stop_token>
#include <string>

namespace strata::remote {

class RedisJobQueue;
class SharedStore;

/// What strata-worker can be told (flags, STRATA_WORKER_* environment variables).
struct WorkerConfig {
    std::string queueUrl;                 ///< redis://host[:port][/db]
    std::string redisPassword;            ///< STRATA_REDIS_PASSWORD
    std::filesystem::path dataDir;        ///< the shared store: the server's data directory
    std::string device{"auto"};           ///< cuda (takes jobs that require cuda, and any), cpu, auto (cuda if a GPU)
    std::string name;                     ///< consumer name; default host-pid-random
    int threads{0};                       ///< CPU threads for jobs that ask for 0 (0 = all cores)
    int maxAttempts{3};                   ///< runs of a job (reclaims after dead workers) before it fails
    std::chrono::milliseconds reclaimAfter{30000}; ///< a job idle this long is taken from a dead worker
};

/// One strata-worker: takes jobs from the Redis queue (only those its device can run), runs them with the same
/// LocalExecutor as the server, stages the bundle in the shared store and moves it into place atomically,
/// reports progress and the result through Redis, polls the job's cancel key and heartbeats its entry.
/// One job at a time (LibTorch's CPU threads are per process); run one worker per GPU.
class Worker {
public:
    Worker(WorkerConfig config, const pipeline::PipelineRegistry& registry);
    ~Worker();
    Worker(const Worker&) = delete;
    Worker& operator=(const Worker&) = delete;

    /// Connects to Redis (throws QueueUnavailable with a clear message) and opens the store.
    void start();
    /// Takes and runs jobs until stop is requested. A job stopped by the shutdown is handed back to the queue.
    void run(std::stop_token stop);
    [[nodiscard]] const std::string& name() const; ///< the consumer name in the queue

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// strata-worker's command line. Returns the exit code (kQueueUnavailableExit when Redis cannot be reached).
int workerMain(int argc, char** argv);

} // namespace strata::remote

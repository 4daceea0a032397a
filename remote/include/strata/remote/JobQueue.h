#pragma once

#include "strata/remote/Database.h"

#include <condition_variable>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>

namespace strata::remote {

/// Where workers get jobs from. The job's row (request, state, results) always lives in the Database; the
/// queue only decides which worker runs which job next. SqliteJobQueue (in-process workers) is the default;
/// a Redis Streams queue (strata-worker processes, at-least-once with reclaim of dead workers' jobs) can
/// implement the same interface later without touching the HTTP server.
class JobQueue {
public:
    virtual ~JobQueue() = default;
    /// A new job row in state "queued" is ready to run.
    virtual void push(const std::string& jobId) = 0;
    /// Blocks until a job is claimed (its row is then "running") or stop is requested.
    virtual std::optional<JobRecord> pop(std::stop_token stop) = 0;
    /// The worker finished with the job (the row holds its terminal state).
    virtual void ack(const std::string& jobId) = 0;
    /// Jobs claimed by workers that died (crash, kill -9): back into the queue. Returns their ids.
    virtual std::vector<std::string> reclaim() = 0;
    /// Wakes every waiting pop() (shutdown).
    virtual void wakeAll() = 0;
};

/// The queue is the jobs table itself: claimNextQueued() picks fairly (owner with the fewest running jobs first,
/// then submission order) inside a transaction; a condition variable wakes idle workers at once.
class SqliteJobQueue : public JobQueue {
public:
    SqliteJobQueue(Database& db, int maxAttempts) : db_(db), maxAttempts_(maxAttempts) {}
    void push(const std::string& jobId) override;
    std::optional<JobRecord> pop(std::stop_token stop) override;
    void ack(const std::string& jobId) override;
    std::vector<std::string> reclaim() override;
    void wakeAll() override;

private:
    Database& db_;
    int maxAttempts_;
    std::mutex mutex_;
    std::condition_variable_any cv_;
    std::uint64_t pushes_{0};
};

} // namespace strata::remote

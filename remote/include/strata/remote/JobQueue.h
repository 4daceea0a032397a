#pragma once

#include "strata/remote/Database.h"

#include <condition_variable>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>

namespace strata::remote {

/// Where workers get jobs from. The job's row (request, state, results) always lives in the server's Database;
/// the queue only decides which worker runs which job next. SqliteJobQueue (in-process workers) is the default;
/// RedisJobQueue (Redis Streams, strata-worker processes, at-least-once with reclaim of dead workers' jobs)
/// implements the same interface: the server pushes and cancels, the workers pop, ack and reclaim.
class JobQueue {
public:
    virtual ~JobQueue() = default;
    /// A new job row in state "queued" is ready to run. The record travels with it: a worker in another
    /// process has no access to the Database.
    virtual void push(const JobRecord& job) = 0;
    /// Blocks until a job is claimed (its row is then "running") or stop is requested.
    [[nodiscard]] virtual std::optional<JobRecord> pop(std::stop_token stop) = 0;
    /// The worker finished with the job (the row holds its terminal state).
    virtual void ack(const std::string& jobId) = 0;
    /// Jobs claimed by workers that died (crash, kill -9): back into the queue. Returns their ids.
    virtual std::vector<std::string> reclaim() = 0;
    /// The job's owner asked to cancel it: tell whoever runs it (in-process workers use their stop_source).
    virtual void cancel(const std::string& jobId) = 0;
    /// pop() for a worker loop: a queue error (database busy, Redis gone) is logged as "queue_error" and
    /// answered with nothing after a 1 s pause, so the loop simply tries again.
    [[nodiscard]] std::optional<JobRecord> popOrPause(std::stop_token stop);
    /// Wakes every waiting pop() (shutdown).
    virtual void wakeAll() = 0;
    /// True when jobs run in other processes (strata-worker): the server starts no workers of its own and
    /// learns about progress and results from the queue instead.
    [[nodiscard]] virtual bool external() const { return false; }
};

/// The queue is the jobs table itself: claimNextQueued() picks fairly (owner with the fewest running jobs first,
/// then submission order) inside a transaction; a condition variable wakes idle workers at once.
class SqliteJobQueue : public JobQueue {
public:
    SqliteJobQueue(Database& db, int maxAttempts) : db_(db), maxAttempts_(maxAttempts) {}
    void push(const JobRecord& job) override;
    [[nodiscard]] std::optional<JobRecord> pop(std::stop_token stop) override;
    void ack(const std::string& jobId) override;
    std::vector<std::string> reclaim() override;
    void cancel(const std::string&) override {}
    void wakeAll() override;

private:
    Database& db_;
    int maxAttempts_;
    std::mutex mutex_;
    std::condition_variable_any cv_;
    std::uint64_t pushes_{0};
};

} // namespace strata::remote

#pragma once

#include "strata/remote/JobQueue.h"
#include "strata/remote/RedisClient.h"

#include <atomic>
#include <chrono>
#include <deque>
#include <map>

namespace strata::remote {

/// Tuning of one RedisJobQueue (a worker's view; the server needs only the URL).
struct RedisQueueOptions {
    /// Device classes this consumer takes, in priority order: "gpu" (jobs that require cuda) and/or "any".
    std::vector<std::string> classes{"any"};
    std::string consumer{"server"};               ///< unique per worker process
    std::chrono::milliseconds reclaimAfter{30000}; ///< an entry idle this long belongs to a dead worker
    std::chrono::milliseconds block{1000};         ///< longest wait of one XREADGROUP
    std::string prefix{"strata:"};                 ///< key prefix (several deployments on one Redis)
};

/// Redis Streams queue with consumer groups (at-least-once).
///   PREFIX jobs:<class>   stream per device class ("gpu": the job requires cuda; "any"), group "workers";
///                         entry {id, job: JobRecord JSON}
///   PREFIX job:<id>       hash {job, class, attempts, worker, result}: written with the entry (MULTI) and by
///                         the worker; "result" makes a second completion a no-op; the server deletes it
///   PREFIX cancel:<id>    set by cancel(); the worker polls it while it runs the job
///   PREFIX events         stream of worker events (started, progress, finished), group "server"
///   PREFIX worker:<name>  a live worker's device description (expires unless the worker heartbeats)
/// A worker's entries stay pending until ack(); touch() (the worker's heartbeat) keeps them fresh, and
/// reclaim() (XAUTOCLAIM) takes over entries idle longer than reclaimAfter, i.e. held by a dead worker.
class RedisJobQueue : public JobQueue {
public:
    RedisJobQueue(const RedisUrl& url, RedisQueueOptions options = {});

    /// Connects and creates the streams and groups; throws QueueUnavailable with a clear message.
    void connect();

    /// One try (throws QueueUnavailable): the server's reconcile pushes a job Redis does not know again.
    void push(const JobRecord& job) override;
    /// Reclaimed entries first, then new ones (gpu stream before any). attempts = runs of this job so far,
    /// this one included. Reconnects with backoff while Redis is away.
    [[nodiscard]] std::optional<JobRecord> pop(std::stop_token stop) override;
    void ack(const std::string& jobId) override;
    std::vector<std::string> reclaim() override;
    void cancel(const std::string& jobId) override;
    void wakeAll() override;
    [[nodiscard]] bool external() const override { return true; }

    // Worker side.
    /// Resets the idle time of the entry this consumer holds for the job (heartbeat while it runs).
    void touch(const std::string& jobId);
    [[nodiscard]] bool cancelRequested(const std::string& jobId);
    /// Gives a job this worker will not finish (shutdown) back to the queue at once: a new entry replaces the
    /// held one and the run does not count as an attempt.
    void release(const std::string& jobId, std::stop_token stop = {});
    /// Best effort (one try): {"type": "started"|"progress", ...} on the events stream.
    void publish(const std::string& jobId, const nlohmann::json& event);
    /// Stores the result, announces it and acks the entry, atomically; retried until Redis takes it (or stop).
    void finish(const std::string& jobId, const nlohmann::json& result, std::stop_token stop = {});
    /// The result a worker stored, if any (a job that already finished is not run again).
    [[nodiscard]] std::optional<nlohmann::json> result(const std::string& jobId);
    /// This worker is alive and can run what `info` describes, for `ttl`.
    void advertise(const nlohmann::json& info, std::chrono::seconds ttl);

    // Server side.
    /// Whether Redis still knows the job (its hash exists); a job it lost is pushed again.
    [[nodiscard]] bool known(const std::string& jobId);
    /// Drops the job's hash and cancel key once its result reached the Database.
    void forget(const std::string& jobId);
    /// Live workers' descriptions.
    [[nodiscard]] std::vector<nlohmann::json> workers();
    /// Reads worker events (server side, group "server"), oldest first; pending ones after a restart first.
    /// Each element: {"id": entry id, "job", "event"}. Blocks up to `block`.
    [[nodiscard]] std::vector<nlohmann::json> readEvents(std::stop_token stop);
    void ackEvents(const std::vector<std::string>& entryIds);

    [[nodiscard]] static std::string classFor(const nlohmann::json& request);
    [[nodiscard]] const RedisQueueOptions& options() const { return options_; }
    RedisClient& control() { return control_; }

private:
    struct Held {
        std::string stream;
        std::string entry;
        std::string payload;
    };
    void ensureGroups();
    std::optional<JobRecord> take(const std::string& stream, const RedisReply& entry);
    std::string key(const std::string& what) const { return options_.prefix + what; }

    RedisQueueOptions options_;
    RedisClient control_;  ///< short commands
    RedisClient blocking_; ///< XREADGROUP ... BLOCK
    std::mutex mutex_;
    std::map<std::string, Held> held_;
    std::deque<std::pair<std::string, RedisReply>> reclaimed_;
    std::chrono::steady_clock::time_point lastReclaim_{};
    bool eventsPendingRead_{false};
    std::atomic<bool> waking_{false};
};

} // namespace strata::remote

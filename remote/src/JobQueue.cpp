#include "strata/remote/JobQueue.h"

#include "strata/remote/Log.h"

#include <chrono>
#include <thread>

namespace strata::remote {

std::optional<JobRecord> JobQueue::popOrPause(std::stop_token stop)
{
    try {
        return pop(stop);
    } catch (const std::exception& e) {
        logEvent("error", "queue_error", {{"message", e.what()}});
        std::this_thread::sleep_for(std::chrono::seconds(1));
        return std::nullopt;
    }
}

void SqliteJobQueue::push(const JobRecord&)
{
    {
        std::lock_guard lock(mutex_);
        ++pushes_;
    }
    cv_.notify_one();
}

std::optional<JobRecord> SqliteJobQueue::pop(std::stop_token stop)
{
    while (!stop.stop_requested()) {
        std::uint64_t seen;
        {
            std::lock_guard lock(mutex_);
            seen = pushes_;
        }
        if (auto job = db_.claimNextQueued()) {
            return job;
        }
        std::unique_lock lock(mutex_);
        // Re-check the table every 2 s as well: another process (token CLI, a restart) may have changed it.
        cv_.wait_for(lock, stop, std::chrono::seconds(2), [&] { return pushes_ != seen; });
    }
    return std::nullopt;
}

void SqliteJobQueue::ack(const std::string&) {}

std::vector<std::string> SqliteJobQueue::reclaim()
{
    auto ids = db_.requeueInterrupted(maxAttempts_);
    if (!ids.empty()) {
        cv_.notify_all();
    }
    return ids;
}

void SqliteJobQueue::wakeAll()
{
    cv_.notify_all();
}

} // namespace strata::remote

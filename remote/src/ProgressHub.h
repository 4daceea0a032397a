#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace strata::remote {

/// Latest progress per job, with waiting for news (the SSE streams).
class ProgressHub {
public:
    struct Snapshot {
        std::uint64_t seq{0};
        nlohmann::json event;
        bool terminal{false};
    };
    void publish(const std::string& id, nlohmann::json event, bool terminal)
    {
        {
            std::lock_guard lock(mutex_);
            auto& s = jobs_[id];
            ++s.seq;
            s.event = std::move(event);
            s.terminal = terminal;
        }
        cv_.notify_all();
    }
    /// Waits until the job's seq differs from `seen` or the timeout passes.
    Snapshot wait(const std::string& id, std::uint64_t seen, std::chrono::milliseconds timeout)
    {
        std::unique_lock lock(mutex_);
        cv_.wait_for(lock, timeout, [&] { return jobs_[id].seq != seen || stopping_; });
        return jobs_[id];
    }
    std::optional<Snapshot> latest(const std::string& id)
    {
        std::lock_guard lock(mutex_);
        auto it = jobs_.find(id);
        if (it == jobs_.end()) return std::nullopt;
        return it->second;
    }
    void forget(const std::string& id)
    {
        std::lock_guard lock(mutex_);
        jobs_.erase(id);
    }
    void shutdown()
    {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        cv_.notify_all();
    }

private:
    std::mutex mutex_;
    std::condition_variable cv_;
    std::map<std::string, Snapshot> jobs_;
    bool stopping_{false};
};

} // namespace strata::remote

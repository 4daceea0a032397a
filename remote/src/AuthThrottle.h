#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace strata::remote {

/// Counts requests with a missing or wrong token per client address: after `failuresPerMinute` of them in one
/// minute every request from that address gets 429 with Retry-After until the minute is over. Guessing tokens
/// (256-bit secrets) is hopeless anyway; this keeps a noisy client from filling logs and the token lookups.
class AuthThrottle {
public:
    using Clock = std::chrono::steady_clock;

    explicit AuthThrottle(int failuresPerMinute) : limit_(failuresPerMinute) {}

    /// Seconds this address must wait before it is heard again (0: now).
    int retryAfterSeconds(const std::string& address, Clock::time_point now = Clock::now());
    /// Records a request from this address without a valid token.
    void failed(const std::string& address, Clock::time_point now = Clock::now());

private:
    struct Window {
        Clock::time_point start;
        int failures{0};
    };
    int limit_;
    std::mutex mutex_;
    std::unordered_map<std::string, Window> windows_;
};

} // namespace strata::remote

#include "AuthThrottle.h"

#include <cmath>

namespace strata::remote {

namespace {
constexpr auto kWindow = std::chrono::seconds(60);
constexpr std::size_t kPruneAbove = 10000; // addresses remembered before expired windows are swept
} // namespace

int AuthThrottle::retryAfterSeconds(const std::string& address, Clock::time_point now)
{
    if (limit_ <= 0) return 0;
    std::lock_guard lock(mutex_);
    const auto it = windows_.find(address);
    if (it == windows_.end() || it->second.failures < limit_) return 0;
    const auto left = it->second.start + kWindow - now;
    if (left <= Clock::duration::zero()) {
        windows_.erase(it);
        return 0;
    }
    return static_cast<int>(std::ceil(std::chrono::duration<double>(left).count()));
}

void AuthThrottle::failed(const std::string& address, Clock::time_point now)
{
    if (limit_ <= 0) return;
    std::lock_guard lock(mutex_);
    if (windows_.size() > kPruneAbove) {
        std::erase_if(windows_, [&](const auto& w) { return w.second.start + kWindow <= now; });
        if (windows_.size() > 10 * kPruneAbove) windows_.clear(); // memory stays bounded under any address spray
    }
    auto& w = windows_[address];
    if (w.failures == 0 || w.start + kWindow <= now) w = {now, 0};
    ++w.failures;
}

} // namespace strata::remote

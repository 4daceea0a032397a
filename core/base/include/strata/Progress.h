#pragma once

#include <functional>
#include <stop_token>
#include <string>

namespace strata {

/// Progress of one piece of work: fraction in [0, 1] and a short message for people.
using ProgressFn = std::function<void(double fraction, const std::string& message)>;

/// Calls fn if it is set.
inline void reportProgress(const ProgressFn& fn, double fraction, const std::string& message)
{
    if (fn) {
        fn(fraction, message);
    }
}

/// Throws Cancelled if a stop was requested. Long loops call this at least every ~100 ms.
void throwIfStopped(const std::stop_token& stop);

} // namespace strata

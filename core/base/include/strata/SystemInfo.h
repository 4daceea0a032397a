#pragma once

#include <chrono>
#include <string>

namespace strata {

/// Peak resident memory of this process so far, in MiB.
double peakRssMiB();
/// Current UTC time as ISO 8601 (2026-11-25T21:00:00Z).
std::string utcTimestamp();
std::string hostName();
/// Seconds since t0 on the steady clock.
double secondsSince(std::chrono::steady_clock::time_point t0);

} // namespace strata

#pragma once

#include <chrono>
#include <string>

namespace strata {

/// Peak resident memory of this process so far, in MiB.
[[nodiscard]] double peakRssMiB();
/// Current UTC time as ISO 8601 (2026-11-25T21:00:00Z).
[[nodiscard]] std::string utcTimestamp();
/// This machine's name, as provenance.json records it ("host").
[[nodiscard]] std::string hostName();
/// Seconds since t0 on the steady clock.
[[nodiscard]] double secondsSince(std::chrono::steady_clock::time_point t0);

} // namespace strata

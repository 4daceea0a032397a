#pragma once

namespace strata::remote {

/// The HTTP API's major version: every route lives under /api/v1. A client refuses a server whose
/// /api/v1/version reports another api_version.
inline constexpr int kApiVersion = 1;
inline constexpr const char* kApiPrefix = "/api/v1";

} // namespace strata::remote

#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace strata::remote {

/// One structured log line on stderr: {"ts": ..., "level": ..., "event": ..., fields...}. Never pass secrets.
void logEvent(const std::string& level, const std::string& event, nlohmann::json fields = nlohmann::json::object());

} // namespace strata::remote

#pragma once

#include <nlohmann/json.hpp>

#include <exception>
#include <string>

namespace strata::remote {

/// One structured log line on stderr: {"ts": ..., "level": ..., "event": ..., fields...}. Never pass secrets.
void logEvent(const std::string& level, const std::string& event, nlohmann::json fields = nlohmann::json::object());

/// A program's last words: the "fatal" log line and "<program>: error: <what>" on stderr. Returns exitCode.
int logFatal(const std::string& program, const std::exception& e, int exitCode);

} // namespace strata::remote

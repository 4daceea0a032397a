#include "strata/remote/Log.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <mutex>

namespace strata::remote {

void logEvent(const std::string& level, const std::string& event, nlohmann::json fields)
{
    static std::mutex mutex;
    const auto now = std::chrono::system_clock::now();
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
    const std::time_t secs = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    ::gmtime_r(&secs, &tm);
    char buf[40];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    char ts[48];
    std::snprintf(ts, sizeof ts, "%s.%03dZ", buf, static_cast<int>(ms % 1000));
    nlohmann::json line{{"ts", ts}, {"level", level}, {"event", event}};
    if (fields.is_object()) {
        line.update(fields);
    }
    const std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    std::lock_guard lock(mutex);
    std::fputs(text.c_str(), stderr);
    std::fflush(stderr);
}

int logFatal(const std::string& program, const std::exception& e, int exitCode)
{
    logEvent("error", "fatal", {{"message", e.what()}});
    std::cerr << program << ": error: " << e.what() << '\n';
    return exitCode;
}

} // namespace strata::remote

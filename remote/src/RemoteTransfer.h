#pragma once

// What RemoteExecutor's uploads (RemoteUploads.cpp) and its runs (RemoteExecutor.cpp) share: folder names, waits
// that a stop ends, and transfer progress.
#include "strata/SystemInfo.h"
#include "strata/pipeline/ProgressSink.h"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <stop_token>
#include <string>
#include <thread>

namespace strata::remote {

/// "result/" -> "result" (the folder itself, so that its staging folder goes beside it).
inline std::filesystem::path withoutTrailingSlash(std::filesystem::path dir)
{
    while (!dir.has_filename() && dir.has_parent_path() && dir != dir.root_path()) dir = dir.parent_path();
    return dir;
}

/// Waits `d`, or less when `stop` is requested (checked every 50 ms).
inline void sleepOrStop(std::stop_token stop, std::chrono::milliseconds d)
{
    const auto until = std::chrono::steady_clock::now() + d;
    while (std::chrono::steady_clock::now() < until && !stop.stop_requested()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

/// Bytes as MiB with one decimal ("12.5").
inline std::string mib(std::uint64_t bytes)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(bytes) / (1024.0 * 1024.0));
    return buf;
}

/// Progress of a transfer (upload/download) in the run's sink.
inline void transferProgress(pipeline::ProgressSink& sink, const std::string& id, const std::string& title,
                             std::uint64_t done, std::uint64_t total, double overall,
                             std::chrono::steady_clock::time_point t0)
{
    pipeline::ProgressEvent e;
    e.stageId = id;
    e.stageTitle = title;
    e.stageIndex = 0;
    e.stageCount = 1;
    e.stageFraction = total ? static_cast<double>(done) / static_cast<double>(total) : 1.0;
    e.overall = overall;
    e.message = mib(done) + " of " + mib(total) + " MiB";
    e.elapsedSeconds = secondsSince(t0);
    sink.progress(e);
}

} // namespace strata::remote

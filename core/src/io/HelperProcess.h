#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace strata::io {

/// strata-media-decode, the program that decodes files from outside for Strata's programs (videos:
/// io/MediaDecoderProcess.h; compressed DICOM pixel data: io/DicomChildDecode.h): $STRATA_MEDIA_DECODE when set (a
/// path; "in-process" means none), else the one next to this program, else the build tree's; nullopt when there is
/// none (the caller decodes in its own process, or in a fork of it).
std::optional<std::filesystem::path> locateMediaDecoder();

/// A helper started with posix_spawn (exec'd: nothing of this process's memory is in it): stdin and stderr are
/// /dev/null, every signal has its default action and none is blocked (a server blocks SIGTERM in its threads),
/// stdout is the pipe whose read end is `stdoutFd` (close-on-exec).
struct SpawnedHelper {
    pid_t pid{-1};
    int stdoutFd{-1};
};

/// Starts `helper ARGS...`. Throws IoError when it cannot be started.
SpawnedHelper spawnHelper(const std::filesystem::path& helper, const std::vector<std::string>& args);

} // namespace strata::io

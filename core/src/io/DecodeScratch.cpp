#include "strata/io/DecodeScratch.h"

#include <csignal>
#include <cerrno>
#include <string_view>

#include <unistd.h>

namespace strata::io {

namespace {

constexpr std::string_view kPrefix = "strata-dicom-";

/// The process id in a scratch name, or 0.
pid_t ownerOf(std::string_view name)
{
    if (name.substr(0, kPrefix.size()) != kPrefix) return 0;
    name.remove_prefix(kPrefix.size());
    if (name.substr(0, 5) == "list-") name.remove_prefix(5);
    const auto dash = name.find('-');
    if (dash == 0 || dash == std::string_view::npos || dash > 9) return 0;
    pid_t pid = 0;
    for (const char c : name.substr(0, dash)) {
        if (c < '0' || c > '9') return 0;
        pid = pid * 10 + (c - '0');
    }
    return pid;
}

} // namespace

std::string decodeScratchPattern(const std::string& kind)
{
    std::error_code ec;
    const auto dir = std::filesystem::temp_directory_path(ec);
    const std::string name = std::string(kPrefix) + (kind.empty() ? "" : kind + "-") + std::to_string(::getpid()) + "-XXXXXX";
    return ((ec ? std::filesystem::path("/tmp") : dir) / name).string();
}

std::size_t removeStaleDecodeScratch(const std::filesystem::path& tempDir)
{
    std::size_t removed = 0;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(tempDir, ec)) {
        const pid_t pid = ownerOf(entry.path().filename().string());
        if (pid <= 0 || pid == ::getpid()) continue;
        if (::kill(pid, 0) == 0 || errno != ESRCH) continue; // it runs (or is another user's: EPERM)
        std::error_code rm;
        if (std::filesystem::remove_all(entry.path(), rm) > 0 && !rm) ++removed;
    }
    return removed;
}

} // namespace strata::io

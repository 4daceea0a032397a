#include "io/HelperProcess.h"

#include "strata/Error.h"

#include <fcntl.h>
#include <spawn.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <cstring>

#ifndef STRATA_MEDIA_DECODE_BUILD_PATH
#define STRATA_MEDIA_DECODE_BUILD_PATH ""
#endif

extern char** environ;

namespace strata::io {

namespace {

constexpr const char* kHelperName = "strata-media-decode";

bool executable(const std::filesystem::path& p)
{
    std::error_code ec;
    return !p.empty() && ::access(p.c_str(), X_OK) == 0 && !std::filesystem::is_directory(p, ec);
}

} // namespace

std::optional<std::filesystem::path> locateMediaDecoder()
{
    if (const char* env = std::getenv("STRATA_MEDIA_DECODE"); env && *env) {
        if (std::string(env) == "in-process") return std::nullopt;
        return std::filesystem::path(env); // as the user said: a missing one is an error when it is started
    }
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec && executable(exe.parent_path() / kHelperName)) return exe.parent_path() / kHelperName;
    if (executable(STRATA_MEDIA_DECODE_BUILD_PATH)) return std::filesystem::path(STRATA_MEDIA_DECODE_BUILD_PATH);
    return std::nullopt;
}

SpawnedHelper spawnHelper(const std::filesystem::path& helper, const std::vector<std::string>& args)
{
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
        throw IoError("Cannot start " + helper.filename().string() + ": no pipe (" + std::strerror(errno) + ").");
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0); // decoders' warnings on damaged files
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    std::vector<std::string> words{helper.string()};
    words.insert(words.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& w : words) argv.push_back(w.data());
    argv.push_back(nullptr);
    SpawnedHelper spawned;
    const int rc = ::posix_spawn(&spawned.pid, words[0].c_str(), &actions, &attr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    ::close(fds[1]);
    if (rc != 0) {
        ::close(fds[0]);
        throw IoError("Cannot start " + words[0] + ": " + std::strerror(rc) +
                      " (it is installed next to Strata's programs; STRATA_MEDIA_DECODE names another).");
    }
    spawned.stdoutFd = fds[0];
    return spawned;
}

} // namespace strata::io

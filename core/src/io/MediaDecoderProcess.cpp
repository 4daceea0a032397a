#include "io/MediaDecoderProcess.h"

#include "io/HelperProcess.h"
#include "strata/Error.h"

#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <csignal>
#include <cstdlib>
#include <cstring>

namespace strata::io {

std::chrono::milliseconds MediaDecoderProcess::stallTimeout()
{
    if (const char* env = std::getenv("STRATA_MEDIA_DECODE_TIMEOUT"); env && *env) {
        char* end = nullptr;
        const double seconds = std::strtod(env, &end);
        if (end != env && seconds > 0 && seconds < 1e6) {
            return std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
        }
    }
    return std::chrono::seconds(60);
}

MediaDecoderProcess::MediaDecoderProcess(const std::filesystem::path& helper, const std::filesystem::path& file)
    : timeout_(stallTimeout())
{
    const SpawnedHelper spawned = spawnHelper(helper, {file.string()});
    pid_ = spawned.pid;
    fd_ = spawned.stdoutFd;
}

MediaDecoderProcess::~MediaDecoderProcess()
{
    kill();
}

void MediaDecoderProcess::kill()
{
    (void)reap(0);
}

int MediaDecoderProcess::reap(int graceTicks)
{
    if (fd_ >= 0) {
        ::close(fd_);
        fd_ = -1;
    }
    int status = 0;
    if (pid_ <= 0) return status;
    pid_t done = -1;
    for (int i = 0; i < graceTicks; ++i) { // 10 ms each
        done = ::waitpid(pid_, &status, WNOHANG);
        if (done == pid_ || (done < 0 && errno != EINTR)) break;
        ::usleep(10'000);
    }
    if (done != pid_) {
        ::kill(pid_, SIGKILL);
        while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
        }
    }
    pid_ = -1;
    return status;
}

std::size_t MediaDecoderProcess::read(void* buffer, std::size_t n)
{
    if (fd_ < 0) return 0;
    for (;;) {
        pollfd p{fd_, POLLIN, 0};
        const int ready = ::poll(&p, 1, static_cast<int>(timeout_.count()));
        if (ready < 0 && errno == EINTR) continue;
        if (ready == 0) {
            kill();
            char seconds[32];
            std::snprintf(seconds, sizeof seconds, "%g", static_cast<double>(timeout_.count()) / 1000.0);
            throw IoError("the video decoder sent nothing for " + std::string(seconds) +
                          " s and was stopped (a damaged file it loops on?)");
        }
        const ssize_t got = ::read(fd_, buffer, n);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) throw IoError("cannot read from the video decoder: " + std::string(std::strerror(errno)));
        return static_cast<std::size_t>(got);
    }
}

std::string MediaDecoderProcess::exitDescription()
{
    if (pid_ <= 0) return "the video decoder was stopped";
    // Its stdout has ended: it exits at once, or (a thread still decoding) is killed after a grace period of 2 s.
    const int status = reap(200);
    if (WIFSIGNALED(status)) {
        const int sig = WTERMSIG(status);
        return "the video decoder crashed on it: signal " + std::to_string(sig) + ", " + strsignal(sig);
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
        const int code = WEXITSTATUS(status);
        if (code == 127) return "the video decoder could not be run: exit code 127";
        return "the video decoder failed: exit code " + std::to_string(code);
    }
    return {};
}

} // namespace strata::io

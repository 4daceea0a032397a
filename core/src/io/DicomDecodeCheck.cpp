#include "io/DicomDecodeCheck.h"

#include "io/DicomFileHeader.h"
#include "strata/Error.h"

#include <gdcmImageReader.h>
#include <gdcmTrace.h>

#include <fcntl.h>
#include <poll.h>
#include <sys/resource.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>

namespace strata::io {

namespace {

/// Set in the index the child sends after a file whose pixel data did not decode.
constexpr std::uint32_t kDidNotDecode = 0x80000000u;

/// In the child: decodes every file as gdcm::ImageReader + Image::GetBuffer do, telling the parent which file it
/// starts on (its index, 4 bytes) before each, and the index | kDidNotDecode after one that did not decode.
[[noreturn]] void decodeInChild(const std::vector<std::string>& files, std::uint64_t maxBytes, int progress)
{
    // A codec's abort must end the child by its signal: no handler of the parent's (a crash reporter, a sanitizer's,
    // libFuzzer's) runs here, and no core file is written for each hostile upload.
    for (const int sig : {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL}) ::signal(sig, SIG_DFL);
    const rlimit noCore{0, 0};
    ::setrlimit(RLIMIT_CORE, &noCore);
    gdcm::Trace::SetWarning(false); // nothing to stderr: its lock may be held by a thread that was not forked
    gdcm::Trace::SetError(false);
    gdcm::Trace::SetDebug(false);
    const int devnull = ::open("/dev/null", O_WRONLY);
    if (devnull >= 0) ::dup2(devnull, STDERR_FILENO); // libjpeg's own messages
    for (std::uint32_t i = 0; i < files.size(); ++i) {
        if (::write(progress, &i, sizeof i) != sizeof i) ::_exit(0); // the parent gave up waiting
        gdcm::ImageReader reader;
        reader.SetFileName(files[i].c_str());
        if (!reader.Read()) continue; // not decodable: the caller's own read reports it
        const unsigned long length = reader.GetImage().GetBufferLength();
        if (length == 0 || length > maxBytes) continue;
        const std::unique_ptr<char[]> buffer(new (std::nothrow) char[length]);
        if (buffer && !reader.GetImage().GetBuffer(buffer.get())) {
            const std::uint32_t failed = i | kDidNotDecode;
            if (::write(progress, &failed, sizeof failed) != sizeof failed) ::_exit(0);
        }
    }
    ::_exit(0);
}

std::string fileName(const std::string& path)
{
    return std::filesystem::path(path).filename().string();
}

} // namespace

bool hasEncapsulatedPixelData(const std::string& file)
{
    DicomFileHeader header; // checks the structure before GDCM parses anything
    try {
        if (!header.read(file)) return false;
    } catch (const IoError&) {
        return false; // damaged: the caller's own read refuses it
    }
    return header.file().GetHeader().GetDataSetTransferSyntax().IsEncapsulated();
}

void refuseDicomFilesThatCrashTheDecoder(const std::vector<std::string>& files, const std::string& context,
                                         std::uint64_t maxBytes, std::chrono::milliseconds timeout)
{
    std::vector<std::string> compressed;
    for (const std::string& f : files) {
        if (hasEncapsulatedPixelData(f)) compressed.push_back(f);
    }
    if (compressed.empty()) return;
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
        throw IoError(context + ": cannot check its compressed pixel data (" + std::strerror(errno) + ").");
    }
    const pid_t pid = ::fork();
    if (pid < 0) {
        const int err = errno;
        ::close(fds[0]);
        ::close(fds[1]);
        throw IoError(context + ": cannot check its compressed pixel data (" + std::strerror(err) + ").");
    }
    if (pid == 0) {
        ::close(fds[0]);
        decodeInChild(compressed, maxBytes, fds[1]);
    }
    ::close(fds[1]);
    std::int64_t current = -1;
    std::int64_t undecodable = -1;
    bool timedOut = false;
    bool reaped = false;
    int status = 0;
    // Reads what the child reports; true when there is nothing more to read now (end of file, or nothing pending).
    const auto readReports = [&](int waitMs) {
        for (;;) {
            pollfd p{fds[0], POLLIN, 0};
            const int ready = ::poll(&p, 1, waitMs);
            if (ready < 0 && errno == EINTR) continue;
            if (ready <= 0) return ready == 0 ? false : true;
            std::uint32_t index = 0;
            const ssize_t n = ::read(fds[0], &index, sizeof index);
            if (n < 0 && errno == EINTR) continue;
            if (n != sizeof index) return true; // end of file: the child exited or died
            if (index & kDidNotDecode) {
                if (undecodable < 0) undecodable = index & ~kDidNotDecode;
            } else {
                current = index;
            }
            waitMs = 0;
        }
    };
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            timedOut = true;
            break;
        }
        if (readReports(static_cast<int>(std::min<std::int64_t>(left.count(), 200)))) break;
        // The pipe's write end may also be held by another thread's child forked meanwhile: the exit is what counts.
        if (::waitpid(pid, &status, WNOHANG) == pid) {
            reaped = true;
            readReports(0);
            break;
        }
    }
    ::close(fds[0]);
    if (timedOut) ::kill(pid, SIGKILL);
    while (!reaped && ::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    const std::string file = current >= 0 ? fileName(compressed[static_cast<std::size_t>(current)]) : std::string("a file");
    if (timedOut) {
        throw IoError(context + ": decoding the compressed pixel data of " + file + " took longer than " +
                      std::to_string(timeout.count() / 1000) + " s; the file is refused.");
    }
    // The child ends with status 0 whatever GDCM thinks of the files (it only decodes); anything else - a signal, or
    // an exit made by a handler it could not shed (a sanitizer's) - means a decoder crashed on `file`.
    if (WIFSIGNALED(status) || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        const std::string how = WIFSIGNALED(status) ? "signal " + std::to_string(WTERMSIG(status))
                                                    : "exit status " + std::to_string(WEXITSTATUS(status));
        throw IoError(context + ": the compressed pixel data of " + file + " is damaged: the decoder crashed on it (" +
                      how + "), so the file is refused.");
    }
    // A stream that fails to decode is refused here too: GDCM's codecs leak on that path (libopenjp2, CharLS,
    // libjpeg buffers), which a serving process would pay for each such upload.
    if (undecodable >= 0 && static_cast<std::size_t>(undecodable) < compressed.size()) {
        throw IoError(context + ": the compressed pixel data of " +
                      fileName(compressed[static_cast<std::size_t>(undecodable)]) +
                      " does not decode (damaged, or a variant GDCM cannot read).");
    }
}

} // namespace strata::io

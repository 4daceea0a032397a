#include "io/DicomChildDecode.h"

#include "io/DicomCopyDecode.h"
#include "io/DicomFileHeader.h"
#include "io/HelperProcess.h"
#include "io/DicomMetaCheck.h"
#include "strata/Error.h"
#include "strata/io/DecodeScratch.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string_view>
#include <vector>

/// A sanitizer's death callback (libFuzzer records the input as a crash of the fuzzed process with it); declared weak,
/// so it is null in an ordinary build.
extern "C" void __sanitizer_set_death_callback(void (*callback)()) __attribute__((weak));

namespace strata::io {

using namespace dicom_copy;

namespace {

/// In the forked child (no helper program): decodes every file to its copy and ends with _exit.
[[noreturn]] void decodeInChild(const std::vector<std::string>& files, const std::vector<std::string>& copies,
                                std::uint64_t maxBytes, int progress)
{
    // A codec's abort must end the child by its signal: no handler of the parent's (a crash reporter, a sanitizer's,
    // libFuzzer's) runs here.
    for (const int sig : {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL}) ::signal(sig, SIG_DFL);
    // Under a sanitizer, an error it sees here (a codec's out-of-bounds write that broke a heap chunk) ends the child
    // with its report; the parent refuses the file. Nothing of the parent's may run then: libFuzzer's callback would
    // record the input as a crash of the process that contained it.
    if (__sanitizer_set_death_callback) __sanitizer_set_death_callback(nullptr);
    quietDicomDecoding();
    decodeDicomCopies(files, copies, maxBytes, progress);
    ::_exit(0);
}

/// The files and their copies for strata-media-decode --dicom-copies: NUL-separated pairs in a private file.
std::filesystem::path writeCopyList(const std::vector<std::string>& files, const std::vector<std::string>& copies,
                                    const std::string& context)
{
    std::error_code ec;
    std::string pattern = decodeScratchPattern("list");
    const int fd = ::mkstemp(pattern.data());
    if (fd < 0) {
        throw IoError(context + ": cannot decode its compressed pixel data (no temporary file: " +
                      std::strerror(errno) + ").");
    }
    std::string text;
    for (std::size_t i = 0; i < files.size(); ++i) text += files[i] + '\0' + copies[i] + '\0';
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t put = ::write(fd, text.data() + done, text.size() - done);
        if (put < 0 && errno == EINTR) continue;
        if (put <= 0) {
            const int err = errno;
            ::close(fd);
            std::filesystem::remove(pattern, ec);
            throw IoError(context + ": cannot decode its compressed pixel data (a temporary file: " +
                          std::strerror(err) + ").");
        }
        done += static_cast<std::size_t>(put);
    }
    ::close(fd);
    return pattern;
}

std::string fileName(const std::string& path)
{
    return std::filesystem::path(path).filename().string();
}

/// False when the File Meta Information at the start of `file` names a native transfer syntax or the file has none
/// (a bare data set is implicit little endian): the cheap answer for the usual folder, from its first 8 KiB, without
/// parsing the header. True for anything else (encapsulated, unknown, or a meta group this walk cannot follow).
bool mayHaveEncapsulatedPixelData(const std::string& file)
{
    std::ifstream in(file, std::ios::binary);
    std::string head(8192, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    const auto u16 = [&](std::size_t at) {
        return static_cast<unsigned>(static_cast<unsigned char>(head[at]) | (static_cast<unsigned char>(head[at + 1]) << 8));
    };
    std::size_t at = head.size() >= 132 && head.compare(128, 4, "DICM") == 0 ? 132 : 0;
    if (head.size() < at + 8 || u16(at) != 0x0002) return at != 0; // no meta group: implicit VR little endian
    while (head.size() >= at + 8 && u16(at) == 0x0002) {
        const unsigned element = u16(at + 2);
        const bool longVr = hasLongDicomLength(std::string_view(head).substr(at + 4, 2));
        std::size_t length = u16(at + 6);
        std::size_t value = at + 8;
        if (longVr) {
            if (head.size() < at + 12) return true;
            length = u16(at + 8) | (static_cast<std::size_t>(u16(at + 10)) << 16);
            value = at + 12;
        }
        if (length > head.size() || value + length > head.size()) return true;
        if (element == 0x0010) {
            std::string uid = head.substr(value, length);
            while (!uid.empty() && (uid.back() == '\0' || uid.back() == ' ')) uid.pop_back();
            // implicit / explicit little endian, explicit big endian: native pixel data
            return uid != "1.2.840.10008.1.2" && uid != "1.2.840.10008.1.2.1" && uid != "1.2.840.10008.1.2.2";
        }
        at = value + length;
    }
    return true;
}

} // namespace

bool hasEncapsulatedPixelData(const std::string& file)
{
    if (!mayHaveEncapsulatedPixelData(file)) return false;
    DicomFileHeader header; // checks the structure before GDCM parses anything
    try {
        if (!header.read(file)) return false;
    } catch (const IoError&) {
        return false; // damaged: the caller's own read refuses it
    }
    return header.file().GetHeader().GetDataSetTransferSyntax().IsEncapsulated();
}

void writeDecodedDicomCopies(const std::vector<std::string>& files, const std::vector<std::string>& copies,
                             const std::string& context, std::uint64_t maxBytes, std::chrono::milliseconds timeout)
{
    if (files.empty()) return;
    if (copies.size() != files.size()) throw std::invalid_argument("writeDecodedDicomCopies: one copy per file");
    pid_t pid = -1;
    int progress = -1;
    std::filesystem::path list; // the helper's list of files and copies, removed when it is done
    if (const auto helper = locateMediaDecoder()) {
        list = writeCopyList(files, copies, context);
        try {
            const SpawnedHelper spawned =
                spawnHelper(*helper, {"--dicom-copies", std::to_string(maxBytes), list.string()});
            pid = spawned.pid;
            progress = spawned.stdoutFd;
        } catch (const IoError& e) {
            std::error_code ec;
            std::filesystem::remove(list, ec);
            throw IoError(context + ": cannot decode its compressed pixel data (" + e.what() + ")");
        }
    } else {
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC) != 0) {
            throw IoError(context + ": cannot decode its compressed pixel data (" + std::strerror(errno) + ").");
        }
        pid = ::fork();
        if (pid < 0) {
            const int err = errno;
            ::close(fds[0]);
            ::close(fds[1]);
            throw IoError(context + ": cannot decode its compressed pixel data (" + std::strerror(err) + ").");
        }
        if (pid == 0) {
            ::close(fds[0]);
            decodeInChild(files, copies, maxBytes, fds[1]);
        }
        ::close(fds[1]);
        progress = fds[0];
    }
    const auto removeList = [&list] {
        std::error_code ec;
        if (!list.empty()) std::filesystem::remove(list, ec);
    };
    std::int64_t current = -1;
    std::uint32_t failure = 0;
    bool timedOut = false;
    bool reaped = false;
    int status = 0;
    // Each file has `timeout` from the moment the child starts on it.
    auto deadline = std::chrono::steady_clock::now() + timeout;
    // Reads what the child reports; true when there is nothing more to read now (end of file, or nothing pending).
    const auto readReports = [&](int waitMs) {
        for (;;) {
            pollfd p{progress, POLLIN, 0};
            const int ready = ::poll(&p, 1, waitMs);
            if (ready < 0 && errno == EINTR) continue;
            if (ready <= 0) return ready == 0 ? false : true;
            std::uint32_t index = 0;
            const ssize_t n = ::read(progress, &index, sizeof index);
            if (n < 0 && errno == EINTR) continue;
            if (n != sizeof index) return true; // end of file: the child exited or died
            if (index & kOutcome) {
                failure = index & kOutcome;
            } else {
                current = index;
                deadline = std::chrono::steady_clock::now() + timeout;
            }
            waitMs = 0;
        }
    };
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
    ::close(progress);
    if (timedOut) ::kill(pid, SIGKILL);
    while (!reaped && ::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    removeList();
    const std::string file = current >= 0 ? fileName(files[static_cast<std::size_t>(current)]) : std::string("a file");
    if (timedOut) {
        throw IoError(context + ": decoding the compressed pixel data of " + file + " took longer than " +
                      std::to_string(timeout.count() / 1000) + " s; the file is refused.");
    }
    // The child ends with status 0 whatever it found; anything else - a signal, or an exit made by a handler it
    // could not shed (a sanitizer's) - means a decoder crashed on `file`.
    if (current < 0 && WIFEXITED(status) && WEXITSTATUS(status) != 0) { // it never started on a file
        throw IoError(context + ": its compressed pixel data cannot be decoded: the decoder program failed before its "
                      "first file (exit status " + std::to_string(WEXITSTATUS(status)) +
                      "; is strata-media-decode the one of this build?).");
    }
    if (WIFSIGNALED(status) || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        const std::string how = WIFSIGNALED(status) ? "signal " + std::to_string(WTERMSIG(status))
                                                    : "exit status " + std::to_string(WEXITSTATUS(status));
        throw IoError(context + ": the compressed pixel data of " + file + " is damaged: the decoder crashed on it (" +
                      how + "), so the file is refused.");
    }
    switch (failure) {
    case kDidNotDecode:
        throw IoError(context + ": the compressed pixel data of " + file +
                      " does not decode (damaged, or a variant GDCM cannot read).");
    case kTooLarge:
        throw IoError(context + ": the compressed pixel data decodes to more than the limit of " +
                      std::to_string(maxBytes >> 20) + " MiB (at " + file + ").");
    case kNotWritten:
        throw IoError(context + ": cannot write the decoded copy of " + file + " (disk full?).");
    default: break;
    }
    if (current + 1 != static_cast<std::int64_t>(files.size())) {
        throw IoError(context + ": the decoder stopped before " + fileName(files[static_cast<std::size_t>(current + 1)]) + ".");
    }
}

} // namespace strata::io

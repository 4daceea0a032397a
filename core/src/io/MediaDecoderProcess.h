#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <string>

#include <sys/types.h>

namespace strata::io {

/// A strata-media-decode process decoding one file (io/VideoReader.h): OpenCV's FFmpeg backend reads past its
/// buffers on some damaged videos (issue 23: a 368-byte AVI, a heap over-read in VideoCapture::retrieve), and a
/// server or workstation must not run that on a file from outside in its own memory. The helper is exec'd
/// (io/HelperProcess.h) and this class reads its stdout. The destructor kills it (SIGKILL) if it still runs and
/// reaps it.
class MediaDecoderProcess {
public:
    /// Starts `helper FILE`. Throws IoError when it cannot be started.
    MediaDecoderProcess(const std::filesystem::path& helper, const std::filesystem::path& file);
    ~MediaDecoderProcess();
    MediaDecoderProcess(const MediaDecoderProcess&) = delete;
    MediaDecoderProcess& operator=(const MediaDecoderProcess&) = delete;

    /// Reads up to n bytes of its stdout: 0 at the end. Throws IoError when nothing arrives for `stallTimeout()`
    /// (a decoder in a loop): the helper is killed first.
    std::size_t read(void* buffer, std::size_t n);

    /// After the end of its stdout: waits for it to exit and says how, "" for exit code 0, else e.g. "the video
    /// decoder crashed on it: signal 11, Segmentation fault".
    std::string exitDescription();

    /// $STRATA_MEDIA_DECODE_TIMEOUT seconds, else 60.
    static std::chrono::milliseconds stallTimeout();

private:
    void kill();
    /// Closes the pipe, waits up to `graceTicks` x 10 ms for the helper to exit, then kills it; its wait status.
    int reap(int graceTicks);

    pid_t pid_{-1};
    int fd_{-1};
    std::chrono::milliseconds timeout_;
};

} // namespace strata::io

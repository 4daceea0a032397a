#pragma once

#include "io/MediaDecodeProtocol.h"

#include <opencv2/core/mat.hpp>

#include <cstddef>
#include <functional>
#include <string>

namespace strata::io {

/// Reads the stream of a strata-media-decode process (io/MediaDecodeProtocol.h). The bytes come from a process that
/// decoded a file from outside, so they are checked like a file: a record the protocol does not have, a frame of
/// an impossible size or type or one that stops short is Broken, never trusted.
class MediaDecodeStream {
public:
    /// `read(buffer, n)` reads up to n bytes, 0 at the end of the stream (it may throw, e.g. on a timeout).
    using ReadFunction = std::function<std::size_t(void* buffer, std::size_t n)>;
    enum class Next { Frame, End, Failure, Broken };

    explicit MediaDecodeStream(ReadFunction read);

    /// Reads the magic and the first record: true with header() filled; false when the decoder could not open the
    /// file (message() has its words) or the stream is broken (brokenReason()).
    bool open();
    const media::StreamHeader& header() const { return header_; }

    /// The next frame into `frame` (Frame), or how the stream ended: End, Failure (message()) or Broken.
    Next next(cv::Mat& frame);

    const std::string& message() const { return message_; }
    /// Why the stream was Broken ("it ended in the middle of a frame", ...).
    const std::string& brokenReason() const { return broken_; }

    /// The largest frame accepted: 32768 pixels a side, 1 GiB.
    static constexpr int kMaxSide = 1 << 15;
    static constexpr std::size_t kMaxFrameBytes = std::size_t{1} << 30;

private:
    bool readExactly(void* buffer, std::size_t n);
    Next broken(std::string reason);
    Next readFailure();

    ReadFunction read_;
    media::StreamHeader header_{};
    std::string message_;
    std::string broken_;
    bool ended_{false};
};

} // namespace strata::io

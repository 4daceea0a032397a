// The stream of strata-media-decode (issue 23): videos from outside are decoded in that helper process, so its
// stdout is what the asking program trusts instead of the file - and a helper that a hostile file has taken over
// can send anything. io::MediaDecodeStream must take any bytes (core/src/io/MediaDecodeProtocol.h).
// Contract: no crash, no exception; a frame it returns is one of the accepted types within its size limits, and a
// stream that is not Broken or ended does not say why it broke.
#include "FuzzSupport.h"

#include "io/MediaDecodeStream.h"

#include <opencv2/core.hpp>

#include <cstring>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    std::size_t offset = 0;
    strata::io::MediaDecodeStream stream([&](void* out, std::size_t n) {
        const std::size_t take = std::min({n, size - offset, std::size_t{4099}}); // the pipe gives pieces too
        std::memcpy(out, data + offset, take);
        offset += take;
        return take;
    });
    if (!stream.open()) return 0;
    cv::Mat frame;
    using Next = strata::io::MediaDecodeStream::Next;
    for (int i = 0; i < 64; ++i) {
        const Next next = stream.next(frame);
        if (next != Next::Frame) {
            FUZZ_CHECK((next == Next::Broken) == !stream.brokenReason().empty(), "a broken stream without its reason");
            return 0;
        }
        FUZZ_CHECK(frame.rows >= 1 && frame.cols >= 1 && frame.isContinuous(), "an empty or strided frame");
        FUZZ_CHECK(frame.depth() == CV_8U || frame.depth() == CV_16U, "a frame of a type the decoder never gives");
        FUZZ_CHECK(frame.total() * frame.elemSize() <= strata::io::MediaDecodeStream::kMaxFrameBytes, "a frame too big");
    }
    return 0;
}

// Video containers (issue 23): a super-resolution job's input may be a video from a client. io::readVideoFrames
// decodes it through io::VideoReader in the helper strata-media-decode (OpenCV's FFmpeg backend; the fuzz build's
// helper, next to this binary, has ASan too): in 30 minutes of this target OpenCV 4.6 read past a heap buffer
// (VideoCapture::retrieve, a 368-byte AVI) when it decoded in this process; now that ends the helper only.
// Seeds: the MJPEG AVIs VideoFramesTest writes (STRATA_FUZZ_SEEDS=DIR). OpenCV and FFmpeg are Debian's, not
// instrumented, and run in the helper: coverage guides through Strata's side only.
// Contract: only IoError; a stack read is RGB uint8 within the byte limit (here 64 MiB).
#include "FuzzSupport.h"

#include "io/VideoFrames.h"
#include "strata/Error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const auto path = strata::fuzz::writeScratch("clip.avi", strata::fuzz::asText(data, size));
    strata::ReadLimits limits;
    limits.maxBytes = 64ull << 20;
    try {
        const strata::Image frames = strata::io::readVideoFrames(path, limits);
        FUZZ_CHECK(frames.pixelType() == strata::PixelType::UInt8 && frames.components() == 3, "frames are not RGB uint8");
        FUZZ_CHECK(frames.byteCount() <= limits.maxBytes, "a stack over the byte limit was read");
    } catch (const strata::IoError&) {
    }
    return 0;
}

// Video containers (issue 23): a super-resolution job's input may be a video from a client; it is decoded with
// OpenCV's FFmpeg backend (io/VideoFrames.cpp, io/VideoCapture.cpp) in the job, which on strata-server runs in the
// serving process. Seeds: the MJPEG AVIs VideoFramesTest writes (STRATA_FUZZ_SEEDS=DIR). OpenCV and FFmpeg are
// Debian's, not instrumented: coverage guides through Strata's reader only; ASan's allocation limits and -timeout
// watch theirs.
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

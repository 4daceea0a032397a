// Videos open as stacks of RGB frames (frame = slice); bad videos and oversized stacks give clear errors.
#include "TestSupport.h"
#include "strata/Error.h"
#include "strata/ImageIO.h"

#include <gtest/gtest.h>
#include <opencv2/videoio.hpp>

#include <fstream>
#include <iterator>

using namespace strata;

namespace {

/// Five 32 x 24 frames, frame f a flat colour (BGR as OpenCV writes: blue 40 f, green 200 - 30 f, red 90).
std::filesystem::path writeTestVideo(const std::filesystem::path& dir)
{
    const auto path = dir / "clip.avi";
    cv::VideoWriter w(path.string(), cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 10.0, cv::Size(32, 24));
    if (!w.isOpened()) throw std::runtime_error("cannot write a test video");
    for (int f = 0; f < 5; ++f) w.write(cv::Mat(24, 32, CV_8UC3, cv::Scalar(40 * f, 200 - 30 * f, 90)));
    return path;
}

} // namespace

TEST(VideoFrames, OpensAsAStackOfRgbFrames)
{
    test::TempDir dir;
    const auto path = writeTestVideo(dir.path());
    test::keepFuzzSeed(path, "video_frames", "mjpeg-5-frames.avi");
    EXPECT_EQ(formatFromPath(path), ImageFormat::Video);
    const Image img = readImage(path);
    EXPECT_EQ(img.size(), (Size3{32, 24, 5}));
    EXPECT_EQ(img.components(), 3);
    EXPECT_EQ(img.pixelType(), PixelType::UInt8);
    for (std::size_t f = 0; f < 5; ++f) { // RGB order, within MJPEG's loss
        EXPECT_NEAR(img.valueAt(16, 12, f, 0), 90.0, 6.0) << f;
        EXPECT_NEAR(img.valueAt(16, 12, f, 1), 200.0 - 30.0 * static_cast<double>(f), 6.0) << f;
        EXPECT_NEAR(img.valueAt(16, 12, f, 2), 40.0 * static_cast<double>(f), 6.0) << f;
    }
}

TEST(VideoFrames, BadVideosGiveClearErrors)
{
    test::TempDir dir;
    const auto good = writeTestVideo(dir.path());
    {
        std::ofstream(dir / "fake.mp4") << "not a video at all";
        std::ifstream in(good, std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        std::ofstream(dir / "cut.avi", std::ios::binary) << bytes.substr(0, 200); // header only
    }
    for (const char* name : {"fake.mp4", "cut.avi"}) {
        try {
            (void)readImage(dir / name);
            ADD_FAILURE() << name << " was read";
        } catch (const IoError& e) {
            EXPECT_NE(std::string(e.what()).find("no frame could be decoded"), std::string::npos) << e.what();
        }
    }
    try {
        (void)readImage(good, ReadLimits{32 * 24 * 3 * 2}); // room for two frames of five
        ADD_FAILURE() << "the limit was not applied";
    } catch (const IoError& e) {
        EXPECT_NE(std::string(e.what()).find("limit"), std::string::npos) << e.what();
    }
    Image frame({4, 4, 1}, PixelType::UInt8, 3);
    EXPECT_THROW(writeImage(frame, dir / "out.avi"), IoError);
}

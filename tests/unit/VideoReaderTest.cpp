// Videos are decoded in a strata-media-decode process (issue 23: OpenCV 4.6's FFmpeg backend over-reads its heap on
// some damaged files): the same frames as in-process decoding; a decoder that crashes, stalls or sends a damaged
// stream is an IoError naming the video and the frame, and the program that asked goes on.
#include "TestSupport.h"
#include "io/MediaDecodeProtocol.h"
#include "io/MediaDecodeStream.h"
#include "io/VideoReader.h"
#include "strata/Error.h"
#include "strata/ImageIO.h"

#include <gtest/gtest.h>
#include <opencv2/core.hpp>
#include <opencv2/videoio.hpp>

#include <sys/stat.h>

#include <chrono>
#include <cstdlib>
#include <cstring>

using namespace strata;

namespace {

std::filesystem::path writeClip(const std::filesystem::path& dir, int frames = 5)
{
    const auto path = dir / "clip.avi";
    cv::VideoWriter w(path.string(), cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 10.0, cv::Size(64, 48));
    if (!w.isOpened()) throw std::runtime_error("cannot write a test video");
    for (int f = 0; f < frames; ++f) w.write(cv::Mat(48, 64, CV_8UC3, cv::Scalar(40 * f, 200 - 30 * f, 90)));
    return path;
}

std::filesystem::path writeScript(const std::filesystem::path& path, const std::string& body)
{
    test::writeText(path, "#!/bin/bash\n" + body + "\n");
    ::chmod(path.c_str(), 0700);
    return path;
}

std::string ioErrorOf(const std::function<void()>& f)
{
    try {
        f();
    } catch (const IoError& e) {
        return e.what();
    }
    return "(no IoError)";
}

} // namespace

TEST(VideoReader, DecodesInItsOwnProcessTheFramesOpenCvGives)
{
    test::TempDir dir;
    const auto clip = writeClip(dir.path());
    io::VideoReader isolated(clip);
    ASSERT_TRUE(isolated.isolated()) << "strata-media-decode was not found next to the build's programs";
    ASSERT_TRUE(isolated.isOpened());
    EXPECT_EQ(isolated.width(), 64);
    EXPECT_EQ(isolated.height(), 48);
    EXPECT_DOUBLE_EQ(isolated.fps(), 10.0);
    EXPECT_DOUBLE_EQ(isolated.frameCount(), 5.0);

    test::ScopedEnv inProcess("STRATA_MEDIA_DECODE", "in-process");
    io::VideoReader local(clip);
    ASSERT_FALSE(local.isolated());
    cv::Mat a, b;
    for (int f = 1; f <= 5; ++f) {
        ASSERT_TRUE(isolated.read(a, "clip", f)) << f;
        ASSERT_TRUE(local.read(b, "clip", f)) << f;
        ASSERT_EQ(a.type(), b.type());
        ASSERT_EQ(a.size(), b.size());
        EXPECT_EQ(cv::norm(a, b, cv::NORM_INF), 0.0) << "frame " << f << " differs";
    }
    EXPECT_FALSE(isolated.read(a, "clip", 6));
    EXPECT_FALSE(local.read(b, "clip", 6));

    // A seed for fuzz target media_stream: the helper's stream of a small clip (3 frames of 16 x 8).
    if (std::getenv("STRATA_FUZZ_SEEDS")) {
        cv::VideoWriter w((dir / "small.avi").string(), cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 10.0, cv::Size(16, 8));
        for (int f = 0; f < 3; ++f) w.write(cv::Mat(8, 16, CV_8UC3, cv::Scalar(60 * f, 100, 200 - 50 * f)));
        w.release();
        const auto helper = std::filesystem::path(STRATA_CLI_PATH).parent_path() / "strata-media-decode";
        ASSERT_EQ(test::run("'" + helper.string() + "' '" + (dir / "small.avi").string() + "' > '" +
                            (dir / "small.smd").string() + "'").first, 0);
        test::keepFuzzSeed(dir / "small.smd", "media_stream", "mjpeg-16x8-3-frames.smd");
    }
}

TEST(VideoReader, ADecoderThatCrashesIsAnIoErrorNamingTheFrame)
{
    test::TempDir dir;
    const auto clip = writeClip(dir.path());
    const auto helper = std::filesystem::path(STRATA_CLI_PATH).parent_path() / "strata-media-decode";
    // The real decoder's stream cut inside frame 2 (header 32 bytes, each frame 20 + 64 x 48 x 3), then a SIGSEGV.
    const auto crash = writeScript(dir / "crash.sh", "head -c 12000 < <('" + helper.string() + "' \"$1\")\nkill -SEGV $$");
    test::ScopedEnv env("STRATA_MEDIA_DECODE", crash.c_str());
    const std::string message = ioErrorOf([&] { (void)readImage(clip); });
    EXPECT_NE(message.find("clip.avi"), std::string::npos) << message;
    EXPECT_NE(message.find("frame 2"), std::string::npos) << message;
    EXPECT_NE(message.find("crashed on it: signal 11"), std::string::npos) << message;
}

TEST(VideoReader, ADecoderThatStallsIsStopped)
{
    test::TempDir dir;
    const auto clip = writeClip(dir.path());
    const auto stall = writeScript(dir / "stall.sh", "printf SMD1\nexec sleep 600");
    test::ScopedEnv env("STRATA_MEDIA_DECODE", stall.c_str());
    test::ScopedEnv timeout("STRATA_MEDIA_DECODE_TIMEOUT", "0.5");
    const auto t0 = std::chrono::steady_clock::now();
    const std::string message = ioErrorOf([&] { (void)readImage(clip); });
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(20));
    EXPECT_NE(message.find("no frame could be decoded"), std::string::npos) << message;
}

// The helper's heap is capped (RLIMIT_DATA; a fuzzed 498-byte AVI had FFmpeg ask for 1.85 GB): under a cap far too
// small for OpenCV's threads no frame decodes, and that is a clear error.
TEST(VideoReader, TheDecoderIsHeldToItsMemoryCap)
{
    test::TempDir dir;
    const auto clip = writeClip(dir.path());
    EXPECT_EQ(readImage(clip).size(), (Size3{64, 48, 5}));
    test::ScopedEnv cap("STRATA_MEDIA_DECODE_MEMORY_MB", "1");
    const std::string message = ioErrorOf([&] { (void)readImage(clip); });
    EXPECT_NE(message.find("no frame could be decoded"), std::string::npos) << message;
}

TEST(VideoReader, AMissingDecoderIsAClearError)
{
    test::TempDir dir;
    const auto clip = writeClip(dir.path());
    const auto missing = dir / "no-such-decoder";
    test::ScopedEnv env("STRATA_MEDIA_DECODE", missing.c_str());
    const std::string message = ioErrorOf([&] { (void)readImage(clip); });
    EXPECT_NE(message.find("Cannot start " + (dir / "no-such-decoder").string()), std::string::npos) << message;
}

TEST(MediaDecodeStream, RefusesWhatTheProtocolDoesNotAllow)
{
    using namespace io::media;
    const auto stream = [](const std::string& bytes) {
        auto offset = std::make_shared<std::size_t>(0);
        return io::MediaDecodeStream([bytes, offset](void* out, std::size_t n) {
            const std::size_t take = std::min(n, bytes.size() - *offset);
            std::memcpy(out, bytes.data() + *offset, take);
            *offset += take;
            return take;
        });
    };
    const auto raw = [](const auto& value) { return std::string(reinterpret_cast<const char*>(&value), sizeof value); };
    const std::string head = std::string(kMagic, 4) + raw(Record::Header) + raw(StreamHeader{8, 4, 25.0, 2.0});
    const auto frame = [&](FrameHeader fh, std::size_t bytes) { return raw(Record::Frame) + raw(fh) + std::string(bytes, 'x'); };

    auto good = stream(head + frame({4, 8, CV_8UC3, 0}, 96) + raw(Record::End));
    ASSERT_TRUE(good.open());
    EXPECT_EQ(good.header().width, 8);
    cv::Mat m;
    ASSERT_EQ(good.next(m), io::MediaDecodeStream::Next::Frame);
    EXPECT_EQ(m.at<cv::Vec3b>(3, 7)[2], 'x');
    EXPECT_EQ(good.next(m), io::MediaDecodeStream::Next::End);

    EXPECT_FALSE(stream("").open());
    EXPECT_FALSE(stream(std::string("MZ\x90\x00", 4) + head.substr(4)).open());
    EXPECT_FALSE(stream(std::string(kMagic, 4) + raw(Record::Header) + raw(StreamHeader{-1, 4, 25.0, 2.0})).open());
    auto failed = stream(std::string(kMagic, 4) + raw(Record::Failure) + raw(std::uint32_t{5}) + "nope\n");
    EXPECT_FALSE(failed.open());
    EXPECT_EQ(failed.message(), "nope ");
    for (const std::string& tail : {frame({4, 8, CV_8UC3, 0}, 95),             // stops inside the frame
                                    frame({40000, 8, CV_8UC3, 0}, 0),          // an impossible size
                                    frame({4, 8, CV_32FC3, 0}, 384),           // a type OpenCV's read never gives
                                    raw(Record::Failure) + raw(std::uint32_t{1u << 30}), // an endless message
                                    raw(std::uint32_t{0x12345678}),            // no such record
                                    std::string()}) {                          // no end record
        auto s = stream(head + tail);
        ASSERT_TRUE(s.open());
        EXPECT_EQ(s.next(m), io::MediaDecodeStream::Next::Broken) << s.brokenReason();
        EXPECT_FALSE(s.brokenReason().empty());
    }
}

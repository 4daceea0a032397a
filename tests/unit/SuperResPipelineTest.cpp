// The 'superres' pipeline: image bundle (upscaled.png, bicubic.png, superres.json), video with per-frame progress,
// bad inputs with clear errors (empty file, size limit, corrupt video, tile too small), cancel.
#include "SuperResTestImages.h"
#include "PipelineRun.h"
#include "TestSupport.h"
#include "strata/StandardPipelines.h"
#include "strata/pipeline/LocalExecutor.h"
#include "strata/superres/RgbImageOps.h"

#include <gtest/gtest.h>

#include <opencv2/videoio.hpp>

#include <fstream>

using namespace strata;
using namespace strata::pipeline;
using nlohmann::json;

namespace {

RunResult runSuperRes(const std::filesystem::path& input, const std::filesystem::path& out, json params = json::object(),
                      ProgressSink* sink = nullptr, std::stop_token stop = {})
{
    return test::runPipeline("superres", "input", input, out, std::move(params), sink, stop);
}

struct RecordingSink : ProgressSink {
    std::vector<std::string> messages;
    std::function<void(const ProgressEvent&)> hook;
    void progress(const ProgressEvent& e) override
    {
        if (e.stageId == "upscale") messages.push_back(e.message);
        if (hook) hook(e);
    }
};

} // namespace

TEST(SuperResPipeline, ImageBundleHasUpscaledAndBicubicPngs)
{
    test::TempDir dir;
    superres::writeRgbPng(test::syntheticScene(70, 45, 1), dir / "in.png");
    const auto r = runSuperRes(dir / "in.png", dir / "out", {{"model", "slim-x2"}, {"tile", 40}});
    ASSERT_EQ(r.status, RunStatus::Succeeded) << r.message;
    const auto up = superres::readRgb(dir / "out" / "upscaled.png", 1'000'000);
    const auto bic = superres::readRgb(dir / "out" / "bicubic.png", 1'000'000);
    EXPECT_EQ(up.width, 140);
    EXPECT_EQ(up.height, 90);
    EXPECT_EQ(bic.width, 140);
    const json s = json::parse(std::ifstream(dir / "out" / "superres.json"));
    EXPECT_EQ(s["kind"], "image");
    EXPECT_EQ(s["scale"], 2);
    EXPECT_EQ(s["comparison"]["before"], "bicubic.png");
    EXPECT_GT(s["tiles"].get<int>(), 1);
    EXPECT_EQ(r.provenance["notes"]["model"]["name"], "esrgan-slim-x2");
}

TEST(SuperResPipeline, TiledAndUntiledRunsGiveTheSamePng)
{
    test::TempDir dir;
    superres::writeRgbPng(test::syntheticScene(64, 50, 2), dir / "in.png");
    ASSERT_EQ(runSuperRes(dir / "in.png", dir / "a", {{"model", "slim-x4"}, {"tile", 0}}).status, RunStatus::Succeeded);
    ASSERT_EQ(runSuperRes(dir / "in.png", dir / "b", {{"model", "slim-x4"}, {"tile", 36}}).status, RunStatus::Succeeded);
    const auto a = superres::readRgb(dir / "a" / "upscaled.png", 1'000'000);
    const auto b = superres::readRgb(dir / "b" / "upscaled.png", 1'000'000);
    ASSERT_EQ(a.data.size(), b.data.size());
    float d = 0;
    for (std::size_t i = 0; i < a.data.size(); ++i) d = std::max(d, std::abs(a.data[i] - b.data[i]));
    EXPECT_LE(d, 1.0f / 255.0f + 1e-6f); // at most one 8-bit level (rounding of values within 1e-5)
}

TEST(SuperResPipeline, VideoIsUpscaledFrameByFrameWithProgress)
{
    test::TempDir dir;
    test::writeTestVideo(dir / "clip.avi", 32, 24, 7);
    RecordingSink sink;
    const auto r = runSuperRes(dir / "clip.avi", dir / "out", {{"model", "slim-x2"}, {"frame_batch", 3}}, &sink);
    ASSERT_EQ(r.status, RunStatus::Succeeded) << r.message;
    cv::VideoCapture cap((dir / "out" / "upscaled.avi").string());
    ASSERT_TRUE(cap.isOpened());
    int frames = 0;
    cv::Mat f;
    while (cap.read(f)) {
        EXPECT_EQ(f.cols, 64);
        EXPECT_EQ(f.rows, 48);
        ++frames;
    }
    EXPECT_EQ(frames, 7);
    const json s = json::parse(std::ifstream(dir / "out" / "superres.json"));
    EXPECT_EQ(s["kind"], "video");
    EXPECT_EQ(s["frames"], 7);
    EXPECT_TRUE(std::filesystem::exists(dir / "out" / "preview" / "bicubic.png"));
    EXPECT_TRUE(std::filesystem::exists(dir / "out" / "preview" / "upscaled.png"));
    EXPECT_NE(std::find(sink.messages.begin(), sink.messages.end(), "Frame 3/7"), sink.messages.end());
    EXPECT_NE(std::find(sink.messages.begin(), sink.messages.end(), "Frame 7/7"), sink.messages.end());

    const auto limited = runSuperRes(dir / "clip.avi", dir / "out2", {{"model", "slim-x2"}, {"max_frames", 2}});
    ASSERT_EQ(limited.status, RunStatus::Succeeded) << limited.message;
    EXPECT_EQ(json::parse(std::ifstream(dir / "out2" / "superres.json"))["frames"], 2);
}

TEST(SuperResPipeline, BadInputsFailWithClearMessages)
{
    test::TempDir dir;
    test::writeText(dir / "empty.png", "");
    auto r = runSuperRes(dir / "empty.png", dir / "o1");
    EXPECT_EQ(r.status, RunStatus::Failed);
    EXPECT_NE(r.message.find("empty"), std::string::npos) << r.message;

    superres::writeRgbPng(test::syntheticScene(300, 200, 3), dir / "big.png");
    r = runSuperRes(dir / "big.png", dir / "o2", {{"max_megapixels", 0.05}});
    EXPECT_EQ(r.status, RunStatus::Failed);
    EXPECT_NE(r.message.find("300 x 200"), std::string::npos) << r.message;
    EXPECT_NE(r.message.find("max_megapixels"), std::string::npos) << r.message;

    test::writeText(dir / "broken.avi", std::string(4096, '\x5a'));
    r = runSuperRes(dir / "broken.avi", dir / "o3");
    EXPECT_EQ(r.status, RunStatus::Failed);
    EXPECT_NE(r.message.find("cannot be decoded"), std::string::npos) << r.message;

    test::writeText(dir / "noimage.png", "this is not a PNG file at all");
    r = runSuperRes(dir / "noimage.png", dir / "o4");
    EXPECT_EQ(r.status, RunStatus::Failed);
    EXPECT_NE(r.message.find("cannot be decoded"), std::string::npos) << r.message;

    superres::writeRgbPng(test::syntheticScene(40, 30, 4), dir / "small.png");
    r = runSuperRes(dir / "small.png", dir / "o5", {{"tile", 16}});
    EXPECT_EQ(r.status, RunStatus::Failed);
    EXPECT_NE(r.message.find("too small"), std::string::npos) << r.message;

    r = runSuperRes(dir / "small.png", dir / "o6", {{"model", "no-such-model"}});
    EXPECT_EQ(r.status, RunStatus::Failed);
    EXPECT_NE(r.message.find("no-such-model"), std::string::npos) << r.message;
    for (const char* o : {"o1", "o2", "o3", "o4", "o5", "o6"}) {
        EXPECT_FALSE(std::filesystem::exists(dir / o)) << o;
    }
}

TEST(SuperResPipeline, CancelDuringVideoLeavesNothing)
{
    test::TempDir dir;
    test::writeTestVideo(dir / "clip.avi", 32, 24, 12);
    std::stop_source stop;
    RecordingSink sink;
    sink.hook = [&](const ProgressEvent& e) {
        if (e.stageId == "upscale" && e.message.rfind("Frame", 0) == 0) stop.request_stop();
    };
    const auto r = runSuperRes(dir / "clip.avi", dir / "out", {{"model", "slim-x2"}, {"frame_batch", 2}}, &sink, stop.get_token());
    EXPECT_EQ(r.status, RunStatus::Cancelled) << r.message;
    EXPECT_FALSE(std::filesystem::exists(dir / "out"));
    EXPECT_EQ(std::count_if(sink.messages.begin(), sink.messages.end(), [](const std::string& m) { return m.rfind("Frame", 0) == 0; }), 1);
}

// The knee pipeline's error paths and, with the committed model, a short end-to-end run.
#include "PipelineRun.h"
#include "TestSupport.h"
#include "strata/inference/SegmentationModel.h"
#include "strata/inference/SegmentationModelCache.h"
#include "strata/ImageIO.h"
#include "strata/ModelLocator.h"
#include "strata/Sha256.h"
#include "strata/StandardPipelines.h"
#include "strata/phantom/KneePhantom.h"
#include "strata/pipeline/LocalExecutor.h"

#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <regex>
#include <thread>

using namespace strata;
using namespace strata::pipeline;
using nlohmann::json;

namespace {

double processCpuSeconds()
{
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

RunResult runKnee(const std::filesystem::path& input, const std::filesystem::path& out, json params = json::object(),
                  std::stop_token stop = {})
{
    return test::runPipeline("knee-mri", "image", input, out, std::move(params), nullptr, stop);
}

/// A model folder whose card is valid JSON and whose model file is whatever `modelBytes` says.
std::filesystem::path fakeModel(const test::TempDir& dir, const std::string& modelBytes, bool rightChecksum)
{
    const auto m = dir / "model";
    std::filesystem::create_directories(m);
    test::writeText(m / "model.pt", modelBytes);
    json card = json::parse(std::ifstream(findModelDir("knee") / "model.json"));
    card["sha256"] = rightChecksum ? Sha256::ofPath(m / "model.pt") : std::string(64, '0');
    test::writeText(m / "model.json", card.dump());
    return m;
}

std::filesystem::path smallPhantom(const test::TempDir& dir)
{
    phantom::KneePhantomParams p;
    p.seed = 77;
    p.size = {96, 96, 48};
    const auto c = phantom::generateKneePhantom(p);
    writeImage(c.image, dir / "small.nii.gz");
    return dir / "small.nii.gz";
}

} // namespace

TEST(KneePipeline, ManifestIsListed)
{
    const auto& m = standardPipelines().get("knee-mri").manifest();
    EXPECT_EQ(m.inputs.at(0).name, "image");
    EXPECT_EQ(m.stages.size(), 7u);
    EXPECT_EQ(m.resolveParameters(json::object())["model"], "knee");
    EXPECT_EQ(m.resolveParameters(json::object())["side"], "auto");
    EXPECT_THROW((void)m.resolveParameters({{"side", "both"}}), strata::Error);
}

TEST(KneePipeline, RefusesTwoDimensionalInput)
{
    test::TempDir dir;
    writeImage(test::rampImage<std::uint8_t>({64, 64, 1}, {1, 1, 1}, {0, 0, 0}, kIdentity3), dir / "photo.png");
    const auto r = runKnee(dir / "photo.png", dir / "out");
    EXPECT_EQ(r.status, RunStatus::Failed);
    EXPECT_NE(r.message.find("needs a 3D MRI volume"), std::string::npos) << r.message;
    EXPECT_FALSE(std::filesystem::exists(dir / "out"));
}

TEST(KneePipeline, BadGeometryIsOneClearLine)
{
    test::TempDir dir;
    test::writeText(dir / "v.raw", std::string(32 * 32 * 16 * 2, '\0'));
    auto mha = [&](const std::string& name, const std::string& matrix, const std::string& spacing) {
        test::writeText(dir / name, "ObjectType = Image\nNDims = 3\nTransformMatrix = " + matrix +
                                        "\nOffset = 0 0 0\nElementSpacing = " + spacing +
                                        "\nDimSize = 32 32 16\nElementType = MET_SHORT\nElementDataFile = v.raw\n");
        return dir / name;
    };
    auto r = runKnee(mha("sheared.mha", "1 0 0 0.3 1 0 0 0 1", "0.4 0.4 0.7"), dir / "out");
    EXPECT_EQ(r.status, RunStatus::Failed);
    EXPECT_NE(r.message.find("'sheared.mha' has a direction matrix that is not orthonormal"), std::string::npos) << r.message;
    EXPECT_EQ(r.message.find('\n'), std::string::npos) << r.message;
    r = runKnee(mha("zero.mha", "1 0 0 0 1 0 0 0 1", "0.4 0 0.7"), dir / "out");
    EXPECT_EQ(r.status, RunStatus::Failed);
    EXPECT_NE(r.message.find("spacing must be positive and finite"), std::string::npos) << r.message;
    EXPECT_EQ(r.message.find('\n'), std::string::npos) << r.message;
    EXPECT_FALSE(std::filesystem::exists(dir / "out"));
}

TEST(KneePipeline, CorruptModelFileIsDetectedByChecksum)
{
    test::TempDir dir;
    const auto input = smallPhantom(dir);
    const auto model = fakeModel(dir, "definitely not TorchScript", false);
    const auto r = runKnee(input, dir / "out", {{"model", model.string()}});
    EXPECT_EQ(r.status, RunStatus::Failed);
    EXPECT_NE(r.message.find("does not match its card"), std::string::npos) << r.message;
}

TEST(KneePipeline, InvalidTorchScriptWithMatchingCardIsExplained)
{
    test::TempDir dir;
    const auto input = smallPhantom(dir);
    const auto model = fakeModel(dir, "definitely not TorchScript", true);
    const auto r = runKnee(input, dir / "out", {{"model", model.string()}});
    EXPECT_EQ(r.status, RunStatus::Failed);
    EXPECT_NE(r.message.find("not a valid TorchScript file"), std::string::npos) << r.message;
}

TEST(KneePipeline, BrokenModelCardIsExplained)
{
    test::TempDir dir;
    const auto input = smallPhantom(dir);
    const auto model = fakeModel(dir, "x", true);
    test::writeText(model / "model.json", "{ \"name\": \"knee\", ");
    auto r = runKnee(input, dir / "out", {{"model", model.string()}});
    EXPECT_EQ(r.status, RunStatus::Failed);
    EXPECT_NE(r.message.find("not valid JSON"), std::string::npos) << r.message;
    test::writeText(model / "model.json", R"({"name": "knee", "version": "1", "task": "segmentation3d"})");
    r = runKnee(input, dir / "out", {{"model", model.string()}});
    EXPECT_NE(r.message.find("sha256"), std::string::npos) << r.message;
    EXPECT_FALSE(std::filesystem::exists(dir / "out"));
}

TEST(KneePipeline, MissingModelIsExplained)
{
    test::TempDir dir;
    const auto input = smallPhantom(dir);
    const auto r = runKnee(input, dir / "out", {{"model", "no-such-model"}});
    EXPECT_EQ(r.status, RunStatus::Failed);
    EXPECT_NE(r.message.find("Model 'no-such-model' not found"), std::string::npos) << r.message;
}

// Quality control (issue 16, part 4): the run finishes, flagged not_a_knee, with no volumes, thickness or meshes.
TEST(KneePipeline, NonKneeVolumeIsFlaggedAndGetsNoTables)
{
    test::TempDir dir;
    writeImage(test::noiseVolume(), dir / "noise.nii.gz");
    const auto r = runKnee(dir / "noise.nii.gz", dir / "out", {{"meshes", true}});
    ASSERT_EQ(r.status, RunStatus::Succeeded) << r.message;
    const json metrics = json::parse(std::ifstream(dir / "out" / "metrics.json"));
    EXPECT_EQ(metrics["quality"]["verdict"], "not_a_knee") << metrics["quality"].dump(1);
    EXPECT_FALSE(metrics["quality"]["reasons"].empty());
    EXPECT_FALSE(metrics.contains("volumes_mm3"));
    EXPECT_FALSE(metrics.contains("thickness_mm"));
    EXPECT_TRUE(metrics.contains("withheld"));
    EXPECT_FALSE(std::filesystem::exists(dir / "out" / "meshes"));
    const json provenance = json::parse(std::ifstream(dir / "out" / "provenance.json"));
    EXPECT_EQ(provenance["notes"]["quality"]["verdict"], "not_a_knee");
}

TEST(KneePipeline, CancelStopsWithinTwoSecondsAndLeavesNothing)
{
    test::TempDir dir;
    phantom::KneePhantomParams p;
    p.seed = 78;
    p.size = {176, 176, 112}; // a smaller field of view: a quicker test
    writeImage(phantom::generateKneePhantom(p).image, dir / "knee.nii.gz");

    // Cancel while the network runs: the pass stops at its next step (issue 24: it used to be abandoned and kept
    // two cores busy for another 15 s).
    struct CancelInSegmentation : ProgressSink {
        std::stop_source stop;
        std::chrono::steady_clock::time_point requested{};
        double fractionAtCancel{0.0};
        void progress(const ProgressEvent& e) override
        {
            if (e.stageId == "segment" && e.message.find("tile 1 of 1: 1 s") != std::string::npos && !stop.stop_requested()) {
                fractionAtCancel = e.stageFraction;
                requested = std::chrono::steady_clock::now();
                stop.request_stop();
            }
        }
    } sink;
    RunRequest r;
    r.pipeline = "knee-mri";
    r.inputs["image"] = dir / "knee.nii.gz";
    r.outputDir = dir / "out";
    r.device = "cpu";
    LocalExecutor exec(standardPipelines());
    const RunResult result = exec.run(r, sink, sink.stop.get_token());
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - sink.requested).count();
    ASSERT_TRUE(sink.stop.stop_requested()) << "the run never reported the network's heartbeat";
    EXPECT_EQ(result.status, RunStatus::Cancelled) << result.message;
    EXPECT_LT(seconds, 2.0);
    EXPECT_GT(sink.fractionAtCancel, 0.0) << "progress moves within the network's one pass (issue 24: time left)";
    EXPECT_FALSE(std::filesystem::exists(dir / "out"));
    for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
        EXPECT_EQ(e.path().filename().string().find(".partial"), std::string::npos) << e.path();
    }
    // Nothing is left running: no abandoned pass, and the process uses (almost) no CPU in the next second.
    EXPECT_TRUE(inference::SegmentationModel::waitForAbandonedPasses(std::chrono::milliseconds(0)));
    const double cpuBefore = processCpuSeconds();
    std::this_thread::sleep_for(std::chrono::seconds(1));
    EXPECT_LT(processCpuSeconds() - cpuBefore, 0.3);
    EXPECT_NE(result.message.find("Cancelled after "), std::string::npos) << result.message;
    EXPECT_FALSE(std::regex_search(result.message, std::regex(R"(\d\.\d\d+ s)"))) << "seconds rounded: " << result.message;
}

// A cohort's next case (or a server's next job) reuses the loaded model (issue 18: "model loaded once") and gets the
// same result as a fresh load; a replaced model file is loaded anew.
TEST(KneePipeline, TheNextRunReusesTheLoadedModelWithTheSameResult)
{
    test::TempDir dir;
    writeImage(test::noiseVolume(), dir / "noise.nii.gz");
    inference::SegmentationModelCache::clear();
    const std::size_t before = inference::SegmentationModelCache::loads();
    ASSERT_EQ(runKnee(dir / "noise.nii.gz", dir / "a", {{"meshes", false}}).status, RunStatus::Succeeded);
    ASSERT_EQ(runKnee(dir / "noise.nii.gz", dir / "b", {{"meshes", false}}).status, RunStatus::Succeeded);
    EXPECT_EQ(inference::SegmentationModelCache::loads(), before + 1);
    EXPECT_EQ(readLabelMap(dir / "a" / "segmentation.nii.gz").voxelCounts(), readLabelMap(dir / "b" / "segmentation.nii.gz").voxelCounts());
    EXPECT_EQ(Sha256::ofPath(dir / "a" / "segmentation.nii.gz"), Sha256::ofPath(dir / "b" / "segmentation.nii.gz"));
    // Other inference options (tile overlap) make another model: loaded.
    ASSERT_EQ(runKnee(dir / "noise.nii.gz", dir / "c", {{"meshes", false}, {"tile_overlap", 24}}).status, RunStatus::Succeeded);
    EXPECT_EQ(inference::SegmentationModelCache::loads(), before + 2);
}

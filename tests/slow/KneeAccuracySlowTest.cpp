// Issue 5 acceptance on held-out phantoms (seeds and noise/bias/contrast settings never used in training):
// Dice per structure, cartilage thickness and volume errors, bit-identical reruns on CPU.
#include "PipelineRun.h"
#include "TestSupport.h"
#include "strata/ImageIO.h"
#include "strata/Sha256.h"
#include "strata/StandardPipelines.h"
#include "strata/phantom/KneeLabels.h"
#include "strata/phantom/KneePhantom.h"
#include "strata/pipeline/LocalExecutor.h"

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

using namespace strata;
using namespace strata::pipeline;
using nlohmann::json;

namespace {

struct HeldOut {
    std::uint64_t seed;
    double snr;
    double bias;
    double contrastJitter;
};

// How gtest (and so ctest's test names) print a case, instead of "32-byte object <32-79 06-00 ...>".
[[maybe_unused]] void PrintTo(const HeldOut& h, std::ostream* os)
{
    *os << "SNR " << h.snr << ", bias " << h.bias << ", contrast jitter " << h.contrastJitter;
}

double dice(const LabelMap& a, const LabelMap& b, int id)
{
    std::size_t inter = 0, na = 0, nb = 0;
    const auto x = a.ids(), y = b.ids();
    for (std::size_t i = 0; i < x.size(); ++i) {
        const bool p = x[i] == id, q = y[i] == id;
        inter += p && q;
        na += p;
        nb += q;
    }
    return na + nb ? 2.0 * static_cast<double>(inter) / static_cast<double>(na + nb) : 1.0;
}

RunResult runKnee(const std::filesystem::path& input, const std::filesystem::path& out)
{
    return test::runPipeline("knee-mri", "image", input, out, {{"meshes", false}});
}

class KneeAccuracySlow : public ::testing::TestWithParam<HeldOut> {};

} // namespace

TEST_P(KneeAccuracySlow, HeldOutPhantomMeetsAcceptance)
{
    const HeldOut h = GetParam();
    test::TempDir dir;
    phantom::KneePhantomParams p;
    p.seed = h.seed;
    p.snr = h.snr;
    p.biasStrength = h.bias;
    p.contrastJitter = h.contrastJitter;
    const auto truth = phantom::generateKneePhantom(p);
    phantom::writeKneePhantom(truth, dir / "case");

    const auto r = runKnee(dir / "case" / "image.nii.gz", dir / "out");
    ASSERT_EQ(r.status, RunStatus::Succeeded) << r.message;
    const LabelMap seg = readLabelMap(dir / "out" / "segmentation.nii.gz");
    ASSERT_TRUE(seg.image().sameGeometry(truth.labels.image()));

    // Ground truth restricted to what the model segments (fluid, muscle, fat are background to it).
    LabelMap gt = truth.labels;
    for (auto& v : gt.ids()) {
        if (v >= phantom::JointFluid) v = 0;
    }
    using namespace phantom;
    std::ostringstream summary;
    summary << "seed " << h.seed << " Dice";
    const auto check = [&](int id, double minimum) {
        const double d = dice(seg, gt, id);
        summary << ' ' << id << ':' << std::fixed << std::setprecision(3) << d;
        EXPECT_GE(d, minimum) << "label " << id;
    };
    for (int id : {Femur, Tibia, Patella}) check(id, 0.95);
    for (int id : {FemoralCartilage, MedialTibialCartilage, LateralTibialCartilage, PatellarCartilage}) check(id, 0.85);
    for (int id : {MedialMeniscus, LateralMeniscus}) check(id, 0.80);

    const json metrics = json::parse(std::ifstream(dir / "out" / "metrics.json"));
    for (const char* plate : {"femoral_cartilage", "medial_tibial_cartilage", "lateral_tibial_cartilage", "patellar_cartilage"}) {
        const double measured = metrics["thickness_mm"][plate]["area_weighted_mean"].get<double>();
        const double expected = truth.groundTruth["thickness_mm"][plate]["mean"].get<double>();
        EXPECT_NEAR(measured, expected, 0.2) << plate;
        const double v = metrics["volumes_mm3"][plate].get<double>();
        const double vt = truth.groundTruth["volumes_mm3"][plate].get<double>();
        EXPECT_NEAR(v / vt, 1.0, 0.05) << plate << " volume " << v << " vs " << vt;
        summary << " | " << plate << " thickness " << std::showpos << measured - expected << " mm volume "
                << 100.0 * (v / vt - 1.0) << " %" << std::noshowpos;
    }
    std::cout << summary.str() << '\n'; // the figures the model card and the notes quote
}

INSTANTIATE_TEST_SUITE_P(HeldOutSeeds, KneeAccuracySlow,
                         ::testing::Values(HeldOut{424242, 10.0, 0.40, 0.2}, HeldOut{515151, 45.0, 0.05, 0.1},
                                           HeldOut{606060, 20.0, 0.25, 0.25}),
                         [](const auto& info) { return "seed" + std::to_string(info.param.seed); });

TEST(KneeDeterminismSlow, SameInputTwiceGivesBitIdenticalOutputs)
{
    test::TempDir dir;
    phantom::KneePhantomParams p;
    p.seed = 717171;
    phantom::writeKneePhantom(phantom::generateKneePhantom(p), dir / "case");
    ASSERT_EQ(runKnee(dir / "case" / "image.nii.gz", dir / "a").status, RunStatus::Succeeded);
    ASSERT_EQ(runKnee(dir / "case" / "image.nii.gz", dir / "b").status, RunStatus::Succeeded);
    for (const char* f : {"segmentation.nii.gz", "thickness.nii.gz", "metrics.csv", "metrics.json"}) {
        EXPECT_EQ(Sha256::ofPath(dir / "a" / f), Sha256::ofPath(dir / "b" / f)) << f;
    }
}

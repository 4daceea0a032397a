// Issue 16, parts 1-3, through the real knee pipeline (network on CPU): one phantom stored in another axis order,
// a left knee, thick slices. A smaller field of view than the training phantoms (176 x 176 x 112 at the model's
// spacing) keeps the three network passes to about a minute on two cores.
#include "PipelineRun.h"
#include "TestSupport.h"
#include "strata/ImageIO.h"
#include "strata/Resample.h"
#include "strata/StandardPipelines.h"
#include "strata/phantom/KneeLabels.h"
#include "strata/phantom/KneePhantom.h"
#include "strata/pipeline/LocalExecutor.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iostream>

using namespace strata;
using namespace strata::pipeline;
using nlohmann::json;

namespace {

RunResult runKnee(const std::filesystem::path& input, const std::filesystem::path& out, json params = json::object())
{
    params["meshes"] = false;
    return test::runPipeline("knee-mri", "image", input, out, std::move(params));
}

/// Dice per label id 1..9 of the run's segmentation against the truth (same grid).
std::array<double, 10> dicePerLabel(const Image& seg, const Image& truth)
{
    std::array<double, 10> a{}, b{}, both{}, d{};
    const auto x = seg.pixels<std::uint8_t>(), y = truth.pixels<std::uint8_t>();
    for (std::size_t i = 0; i < x.size(); ++i) {
        if (x[i] < 10) a[x[i]] += 1;
        if (y[i] < 10) b[y[i]] += 1;
        if (x[i] == y[i] && x[i] < 10) both[x[i]] += 1;
    }
    for (int l = 1; l < 10; ++l) d[static_cast<std::size_t>(l)] = a[l] + b[l] > 0 ? 2 * both[l] / (a[l] + b[l]) : 1.0;
    return d;
}

double mean(const std::array<double, 10>& d)
{
    double s = 0;
    for (int l = 1; l < 10; ++l) s += d[static_cast<std::size_t>(l)];
    return s / 9.0;
}

struct KneeRun {
    std::array<double, 10> dice{};
    json metrics, provenance;
};

KneeRun runAndScore(const test::TempDir& dir, const std::string& name, const Image& image, const Image& truth,
                json params = json::object())
{
    writeImage(image, dir / (name + ".nii.gz"));
    const auto out = dir / (name + "-out");
    const auto r = runKnee(dir / (name + ".nii.gz"), out, std::move(params));
    EXPECT_EQ(r.status, RunStatus::Succeeded) << r.message;
    KneeRun run;
    if (r.status != RunStatus::Succeeded) return run;
    const LabelMap seg = readLabelMap(out / "segmentation.nii.gz");
    EXPECT_TRUE(seg.image().sameGeometry(image, 1e-4)) << name << ": the segmentation must keep the input's geometry";
    run.dice = dicePerLabel(seg.image(), truth);
    run.metrics = json::parse(std::ifstream(out / "metrics.json"));
    run.provenance = json::parse(std::ifstream(out / "provenance.json"));
    std::cout << name << ": mean Dice " << mean(run.dice) << " (medial / lateral tibial cartilage " << run.dice[5]
              << " / " << run.dice[6] << ", menisci " << run.dice[8] << " / " << run.dice[9] << "; all:";
    for (int l = 1; l < 10; ++l) std::cout << ' ' << run.dice[static_cast<std::size_t>(l)];
    std::cout << ")\n";
    return run;
}

phantom::KneePhantomCase smallPhantom(bool right)
{
    phantom::KneePhantomParams p;
    p.seed = 161616;
    p.size = {176, 176, 112};
    p.rightKnee = right;
    return phantom::generateKneePhantom(p);
}

} // namespace

TEST(KneeOrientationSlow, AxisOrderAndSideDoNotChangeTheResult)
{
    test::TempDir dir;
    const auto right = smallPhantom(true);
    const KneeRun base = runAndScore(dir, "right-pir", right.image, right.labels.image());
    EXPECT_GT(mean(base.dice), 0.85);
    EXPECT_EQ(base.metrics["orientation"]["method"], "permutation");

    // The same knee stored L, P, S (axes permuted, two flipped): the network must see the same thing.
    const std::array<int, 3> perm{2, 0, 1};
    const std::array<bool, 3> flip{true, false, true}; // stored L, P, S
    const KneeRun permuted = runAndScore(dir, "right-permuted", test::storedAs(right.image, perm, flip),
                                     test::storedAs(right.labels.image(), perm, flip));
    EXPECT_NEAR(mean(permuted.dice), mean(base.dice), 0.02);
    EXPECT_EQ(permuted.metrics["orientation"]["input_axes"], "LPS");
    for (const char* plate : {"femoral_cartilage", "medial_tibial_cartilage", "lateral_tibial_cartilage"}) {
        EXPECT_NEAR(permuted.metrics["thickness_mm"][plate]["mean"].get<double>(),
                    base.metrics["thickness_mm"][plate]["mean"].get<double>(), 0.02)
            << plate;
    }

    // A left knee (the generator's mirrored anatomy, truth labels anatomically right), stored in another order,
    // side=left: mirrored into the model's side and back; medial and lateral must not swap.
    const auto left = smallPhantom(false);
    const std::array<int, 3> perm2{1, 2, 0};
    const std::array<bool, 3> flip2{false, true, true};
    const KneeRun leftRun = runAndScore(dir, "left-permuted", test::storedAs(left.image, perm2, flip2),
                                    test::storedAs(left.labels.image(), perm2, flip2), {{"side", "left"}});
    EXPECT_NEAR(mean(leftRun.dice), mean(base.dice), 0.02);
    EXPECT_GT(leftRun.dice[phantom::MedialTibialCartilage], 0.8);
    EXPECT_GT(leftRun.dice[phantom::LateralTibialCartilage], 0.8);
    EXPECT_GT(leftRun.dice[phantom::MedialMeniscus], 0.7);
    EXPECT_GT(leftRun.dice[phantom::LateralMeniscus], 0.7);
    EXPECT_EQ(leftRun.metrics["side"], "left");
    EXPECT_EQ(leftRun.metrics["side_source"], "parameter");
    EXPECT_EQ(leftRun.provenance["notes"]["side"]["mirrored"], true);
    // Nothing says which knee the right one is: its tibial plates do (SideEvidence.h), and no mirroring.
    EXPECT_EQ(base.metrics["side"], "right");
    EXPECT_EQ(base.metrics["side_source"], "anatomy");
    EXPECT_EQ(base.provenance["notes"]["side"]["mirrored"], false);

    // The same left knee with side=auto, a NIfTI: nothing says which knee it is, the tibial plates of a first pass
    // say left, and it is segmented again mirrored - as with side=left (was: assumed right, plates and menisci
    // swapped, mean Dice 0.551).
    const KneeRun assumed = runAndScore(dir, "left-assumed", left.image, left.labels.image());
    for (const auto* run : {&base, &assumed}) {
        std::cout << "[ figures  ] side evidence " << run->metrics["side_evidence"].dump() << '\n';
    }
    for (const auto* run : {&leftRun, &assumed}) {
        std::cout << "[ figures  ] " << (run == &leftRun ? "side=left  " : "side=auto  ") << "confidence:";
        for (const auto& [name, q] : run->metrics["quality"]["structures"].items()) {
            std::cout << ' ' << name << ' ' << q.value("confidence", 0.0);
        }
        std::cout << " verdict " << run->metrics["quality"].value("verdict", "") << '\n';
    }
    EXPECT_EQ(assumed.metrics["side"], "left");
    EXPECT_EQ(assumed.metrics["side_source"], "anatomy");
    EXPECT_EQ(assumed.provenance["notes"]["side"]["mirrored"], true);
    EXPECT_NEAR(mean(assumed.dice), mean(leftRun.dice), 0.02);
    EXPECT_GT(assumed.dice[phantom::MedialTibialCartilage], 0.8);
    EXPECT_GT(assumed.dice[phantom::LateralTibialCartilage], 0.8);
    EXPECT_NE(assumed.metrics["notes"].dump().find("tibial plates say a left knee"), std::string::npos)
        << assumed.metrics["notes"].dump();
}

TEST(KneeOrientationSlow, ObliqueCopyIsResampledAndMappedBackOntoItsGrid)
{
    test::TempDir dir;
    const auto right = smallPhantom(true);
    // Stored on a grid rotated 20 degrees about (1,1,1) (each axis ~16 degrees off), same centre and spacing.
    const Mat3 rot = test::obliqueDirection(20.0 * 3.14159265358979 / 180.0);
    Mat3 dir3{};
    const Mat3& d = right.image.direction();
    for (int r = 0; r < 3; ++r)
        for (int c = 0; c < 3; ++c)
            for (int m = 0; m < 3; ++m) dir3[r * 3 + c] += rot[r * 3 + m] * d[m * 3 + c];
    Image ref(right.image.size(), PixelType::UInt8);
    ref.setSpacing(right.image.spacing());
    ref.setDirection(dir3);
    const Vec3 mid{87.5, 87.5, 55.5};
    const Vec3 centre = right.image.indexToWorld(mid), off = ref.indexToWorld(mid);
    ref.setOrigin({centre[0] - off[0], centre[1] - off[1], centre[2] - off[2]});
    // Outside the phantom's field of view the rotated grid has no signal (linear resampling would smear the edge).
    Image ones(right.image.size(), PixelType::UInt8);
    ones.copyGeometryFrom(right.image);
    std::fill(ones.pixels<std::uint8_t>().begin(), ones.pixels<std::uint8_t>().end(), std::uint8_t{1});
    const Image inside = resampleLike(ones, ref, Interpolation::Nearest);
    Image image = resampleLike(right.image, ref, Interpolation::Linear).convertedTo(PixelType::UInt16);
    for (std::size_t i = 0; i < image.voxelCount(); ++i)
        if (!inside.pixels<std::uint8_t>()[i]) image.pixels<std::uint16_t>()[i] = 0;
    const Image truth = resampleLike(right.labels.image(), ref, Interpolation::Nearest);
    const KneeRun run = runAndScore(dir, "oblique", image, truth);
    EXPECT_EQ(run.metrics["orientation"]["method"], "resampled");
    // Not a matter of rotation: the canonical image matches the phantom (best at zero shift), and the same data
    // resampled back onto the phantom's own grid scores 0.982. What cost accuracy was the canvas: the canonical
    // grid covers the rotated field of view, so the knee sat in a larger volume with background around it, and the
    // network (trained on boxes of tissue reaching the border) read part of the tibia as femur. The phantom itself
    // in that canvas: 0.81. The network now sees only the signal box (SegmentationModel::segment): that case 0.987,
    // this one 0.896 -> 0.932 (femur 0.96, tibia 0.89, patella 0.89, tibial plates 0.975 / 0.977); the rest is the
    // wedges of background the rotation cuts into the box, a matter for the model (issue 17's training).
    EXPECT_GT(mean(run.dice), 0.91);
    EXPECT_GT(run.dice[phantom::MedialTibialCartilage], 0.95);
    EXPECT_GT(run.dice[phantom::LateralTibialCartilage], 0.95);
}

TEST(KneeOrientationSlow, ThickSlicesRunAndSaySo)
{
    test::TempDir dir;
    phantom::KneePhantomParams p;
    p.seed = 161617;
    p.size = {176, 176, 26};
    p.spacing = {0.4, 0.4, 3.0}; // 2D sagittal protocol: 3 mm slices
    const auto c = phantom::generateKneePhantom(p);
    const KneeRun run = runAndScore(dir, "thick", c.image, c.labels.image());
    EXPECT_DOUBLE_EQ(run.metrics.value("slice_thickness_mm", 0.0), 3.0);
    ASSERT_TRUE(run.metrics.contains("notes"));
    EXPECT_NE(run.metrics["notes"].dump().find("limited by the slice thickness"), std::string::npos);
    EXPECT_EQ(run.provenance["notes"]["slice_thickness"]["direction"], "left-right");
    EXPECT_GT(mean(run.dice), 0.5); // it runs and finds the knee; accuracy at 3 mm is not the point here
}

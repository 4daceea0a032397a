// The independent knee test family (issue 17, part 3; tests/independent): the generator itself. It is deterministic
// per seed, every structure is there with an adult volume, and its direction matrix puts the anatomy where the side
// says (medial towards the body's midline: patient left for a right knee, patient right for a left knee), whatever
// axis order and flips the case is stored in. Coarse grids without sub-sampling keep this well under 2 s.
#include "independent/IndependentKneeGenerator.h"
#include "independent/KneeAnatomy.h"
#include "independent/Tissue.h"

#include <gtest/gtest.h>

#include <array>
#include <cstring>

using namespace strata;
using namespace strata::testing::indep;

namespace {

IndependentKneeGenerator::Settings coarse(std::uint64_t seed, bool right, SliceOrientation o)
{
    IndependentKneeGenerator::Settings s;
    s.seed = seed;
    s.contrast = Contrast::PdFatSat;
    s.acquisition.orientation = o;
    s.acquisition.inPlaneMm = 1.4;
    s.acquisition.sliceMm = 1.6;
    s.acquisition.rightKnee = right;
    s.supersample = false;
    return s;
}

/// Patient-space (LPS) centroid of each label.
std::array<Vec3, LabelCount> centroids(const Image& labels, std::array<double, LabelCount>* counts = nullptr)
{
    std::array<Vec3, LabelCount> c{};
    std::array<double, LabelCount> n{};
    const auto ids = labels.pixels<std::uint8_t>();
    const Size3 sz = labels.size();
    for (std::size_t k = 0; k < sz[2]; ++k)
        for (std::size_t j = 0; j < sz[1]; ++j)
            for (std::size_t i = 0; i < sz[0]; ++i) {
                const auto l = ids[labels.linearIndex(i, j, k)];
                const Vec3 w = labels.indexToWorld({double(i), double(j), double(k)});
                for (int a = 0; a < 3; ++a) c[l][static_cast<std::size_t>(a)] += w[static_cast<std::size_t>(a)];
                n[l] += 1;
            }
    for (std::size_t l = 0; l < LabelCount; ++l)
        for (auto& v : c[l]) v /= std::max(n[l], 1.0);
    if (counts) *counts = n;
    return c;
}

} // namespace

TEST(IndependentKneeFamily, DeterministicPerSeedAndSeedsDiffer)
{
    const auto a = IndependentKneeGenerator::generate(coarse(17, true, SliceOrientation::Sagittal));
    const auto b = IndependentKneeGenerator::generate(coarse(17, true, SliceOrientation::Sagittal));
    ASSERT_EQ(a.image.byteCount(), b.image.byteCount());
    EXPECT_EQ(std::memcmp(a.image.data(), b.image.data(), a.image.byteCount()), 0);
    EXPECT_EQ(std::memcmp(a.labels.data(), b.labels.data(), a.labels.byteCount()), 0);
    EXPECT_EQ(a.truth["label_voxels"], b.truth["label_voxels"]);
    EXPECT_TRUE(a.image.sameGeometry(a.labels));

    // another seed, another knee (the anatomy alone: no need to render it)
    EXPECT_NE(a.truth["anatomy"], KneeAnatomy(18).describe());
    EXPECT_EQ(a.truth["anatomy"], KneeAnatomy(17).describe());
}

TEST(IndependentKneeFamily, EveryStructureWithAnAdultVolume)
{
    const auto k = IndependentKneeGenerator::generate(coarse(23, true, SliceOrientation::Coronal));
    const auto& v = k.truth["label_volumes_mm3"];
    // Plausible adult ranges (mm^3); bones only the part in the field of view.
    const std::array<std::array<double, 2>, LabelCount> range{{{0, 0},
                                                               {40000, 250000},
                                                               {40000, 250000},
                                                               {6000, 25000},
                                                               {5000, 25000},
                                                               {500, 4000},
                                                               {500, 4500},
                                                               {800, 6000},
                                                               {500, 5000},
                                                               {500, 5000}}};
    for (int l = 1; l < LabelCount; ++l) {
        const auto name = std::string(kLabelNames[static_cast<std::size_t>(l)]);
        const double mm3 = v.at(name).get<double>();
        EXPECT_GE(mm3, range[static_cast<std::size_t>(l)][0]) << name;
        EXPECT_LE(mm3, range[static_cast<std::size_t>(l)][1]) << name;
        EXPECT_DOUBLE_EQ(mm3, k.truth["label_voxels"].at(name).get<double>() * k.image.voxelVolume()) << name;
    }
    const auto px = k.labels.pixels<std::uint8_t>();
    for (const auto l : px) ASSERT_LT(l, LabelCount);
    const auto mm = k.image.minMax();
    EXPECT_GT(mm[1], 500.0); // a real intensity range, not a mask
    const double fw = k.truth["anatomy"]["femur_width_mm"].get<double>();
    EXPECT_GE(fw, 0.92 * 75.0);
    EXPECT_LE(fw, 1.08 * 85.0);
}

TEST(IndependentKneeFamily, MedialIsTowardsTheMidlineForBothSidesInAnyStorageOrder)
{
    const std::pair<bool, SliceOrientation> cases[] = {
        {true, SliceOrientation::Sagittal}, {false, SliceOrientation::Axial}, {false, SliceOrientation::Coronal}};
    for (const auto& [right, o] : cases) {
        {
            auto s = coarse(31, right, o);
            s.acquisition.inPlaneMm = 1.6;
            s.acquisition.sliceMm = 1.6;
            s.acquisition.fovMm = {96, 90, 96};
            const auto k = IndependentKneeGenerator::generate(s);
            const std::string what = std::string(right ? "right" : "left") + " knee, stored " +
                                     k.truth["acquisition"]["stored_axes"].get<std::string>();
            const auto c = centroids(k.labels);
            // LPS x grows towards patient left: a right knee's medial side is its left.
            const double medialMinusLateral = c[MedialTibialCartilage][0] - c[LateralTibialCartilage][0];
            if (right) EXPECT_GT(medialMinusLateral, 20.0) << what;
            else EXPECT_LT(medialMinusLateral, -20.0) << what;
            const double menisci = c[MedialMeniscus][0] - c[LateralMeniscus][0];
            EXPECT_GT(right ? menisci : -menisci, 20.0) << what;
            EXPECT_GT(c[Femur][2], c[Tibia][2] + 30.0) << what;      // femur superior (LPS z up)
            EXPECT_LT(c[Patella][1], c[Femur][1] - 15.0) << what;    // patella anterior (LPS y posterior)
            EXPECT_GT(c[FemoralCartilage][2], c[MedialTibialCartilage][2]) << what;
            EXPECT_EQ(k.truth["acquisition"]["side"], right ? "right" : "left");
            // the direction matrix is a signed permutation (axis-aligned acquisition)
            const Mat3& d = k.image.direction();
            for (int col = 0; col < 3; ++col) {
                double norm = 0;
                for (int r = 0; r < 3; ++r) norm += std::abs(d[static_cast<std::size_t>(r * 3 + col)]);
                EXPECT_DOUBLE_EQ(norm, 1.0);
            }
        }
    }
}

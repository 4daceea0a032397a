// Comparing two label maps of one image (issue 24, item 3): Dice, volumes and surface distances per label on
// hand-made volumes whose answers are known, and the table and CSV the workstation shows and exports.
#include <strata/Error.h>
#include <strata/quant/LabelAgreement.h>
#include <strata/results/LabelComparisonTable.h>

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace strata;

namespace {

LabelMap emptyMap(Size3 size, Vec3 spacing = {1, 1, 1})
{
    Image image(size, PixelType::UInt8);
    image.setSpacing(spacing);
    return LabelMap(std::move(image), LabelTable({{1, "femur", {}}, {2, "tibia", {}}, {3, "patella", {}}}));
}

/// Sets the voxels of the box [lo, hi) to `label`.
void paintBox(LabelMap& m, std::array<std::size_t, 3> lo, std::array<std::size_t, 3> hi, std::uint8_t label)
{
    auto ids = m.ids();
    for (std::size_t k = lo[2]; k < hi[2]; ++k)
        for (std::size_t j = lo[1]; j < hi[1]; ++j)
            for (std::size_t i = lo[0]; i < hi[0]; ++i) ids[m.image().linearIndex(i, j, k)] = label;
}

const quant::LabelAgreement* row(const std::vector<quant::LabelAgreement>& rows, int id)
{
    for (const auto& r : rows)
        if (r.id == id) return &r;
    return nullptr;
}

} // namespace

TEST(LabelAgreement, IdenticalMapsAgreeFully)
{
    LabelMap a = emptyMap({20, 20, 20});
    paintBox(a, {2, 2, 2}, {10, 12, 9}, 1);
    paintBox(a, {12, 3, 4}, {18, 17, 15}, 2);
    const auto rows = quant::compareLabelMaps(a, a);
    ASSERT_EQ(rows.size(), 2u);
    for (const auto& r : rows) {
        EXPECT_DOUBLE_EQ(r.dice, 1.0) << r.name;
        EXPECT_DOUBLE_EQ(r.differenceMm3(), 0.0);
        ASSERT_TRUE(r.meanSurfaceMm && r.hausdorff95Mm);
        EXPECT_DOUBLE_EQ(*r.meanSurfaceMm, 0.0);
        EXPECT_DOUBLE_EQ(*r.hausdorff95Mm, 0.0);
    }
    EXPECT_EQ(rows[0].name, "femur");
    EXPECT_EQ(rows[0].voxelsA, 8u * 10u * 7u);
}

TEST(LabelAgreement, HalfOverlappingCubesHaveDiceOneHalf)
{
    // Two 10-voxel cubes, B moved 5 voxels along x: 500 of 1000 voxels shared; voxels 0.5 x 0.5 x 2 mm (0.5 mm³).
    LabelMap a = emptyMap({30, 20, 20}, {0.5, 0.5, 2.0});
    LabelMap b = emptyMap({30, 20, 20}, {0.5, 0.5, 2.0});
    paintBox(a, {5, 5, 5}, {15, 15, 15}, 1);
    paintBox(b, {10, 5, 5}, {20, 15, 15}, 1);
    const auto rows = quant::compareLabelMaps(a, b);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].voxelsBoth, 500u);
    EXPECT_DOUBLE_EQ(rows[0].dice, 0.5);
    EXPECT_DOUBLE_EQ(rows[0].mm3A, 500.0);
    EXPECT_DOUBLE_EQ(rows[0].mm3B, 500.0);
    ASSERT_TRUE(rows[0].differencePercent());
    EXPECT_DOUBLE_EQ(*rows[0].differencePercent(), 0.0);
    // Every boundary voxel of A lies 5 voxels (2.5 mm) along x from B's boundary or on it; the largest distance is
    // A's face at x = 5 to B's at x = 10, 2.5 mm.
    ASSERT_TRUE(rows[0].hausdorff95Mm);
    EXPECT_NEAR(*rows[0].hausdorff95Mm, 2.5, 1e-9);
}

TEST(LabelAgreement, GrownCubeHasKnownSurfaceDistances)
{
    // A: a 10-voxel cube; B: the same cube grown by one voxel on every side (12 voxels). A's boundary is 1 voxel from
    // B's everywhere; B's faces are 1 from A's, its 12 x 10 edge voxels sqrt(2), its 8 corners sqrt(3).
    LabelMap a = emptyMap({20, 20, 20});
    LabelMap b = emptyMap({20, 20, 20});
    paintBox(b, {4, 4, 4}, {16, 16, 16}, 2);
    paintBox(a, {5, 5, 5}, {15, 15, 15}, 2);
    const auto rows = quant::compareLabelMaps(a, b);
    ASSERT_EQ(rows.size(), 1u);
    const auto& r = rows[0];
    EXPECT_EQ(r.name, "tibia");
    EXPECT_EQ(r.voxelsA, 1000u);
    EXPECT_EQ(r.voxelsB, 1728u);
    EXPECT_NEAR(r.dice, 2000.0 / 2728.0, 1e-12);
    EXPECT_DOUBLE_EQ(r.differenceMm3(), 728.0);
    EXPECT_NEAR(*r.differencePercent(), 72.8, 1e-9);
    const double boundaryA = 1000 - 512, faces = 6 * 100, edges = 12 * 10, corners = 8;
    const double expectedMean = (boundaryA + faces + edges * std::sqrt(2.0) + corners * std::sqrt(3.0)) /
                                (boundaryA + faces + edges + corners);
    ASSERT_TRUE(r.meanSurfaceMm && r.hausdorff95Mm);
    EXPECT_NEAR(*r.meanSurfaceMm, expectedMean, 1e-9);
    EXPECT_NEAR(*r.hausdorff95Mm, std::sqrt(2.0), 1e-9); // 95 % of B's boundary lies within sqrt(2)
}

TEST(LabelAgreement, LabelInOneMapOnly)
{
    LabelMap a = emptyMap({12, 12, 12});
    LabelMap b = emptyMap({12, 12, 12});
    paintBox(a, {1, 1, 1}, {5, 5, 5}, 1); // 64 voxels in A only
    paintBox(b, {6, 6, 6}, {9, 9, 9}, 3); // 27 voxels in B only
    const auto rows = quant::compareLabelMaps(a, b);
    ASSERT_EQ(rows.size(), 2u);
    const auto* femur = row(rows, 1);
    const auto* patella = row(rows, 3);
    ASSERT_TRUE(femur && patella);
    EXPECT_EQ(femur->dice, 0.0);
    EXPECT_DOUBLE_EQ(femur->mm3B, 0.0);
    EXPECT_DOUBLE_EQ(*femur->differencePercent(), -100.0);
    EXPECT_FALSE(femur->meanSurfaceMm || femur->hausdorff95Mm);
    EXPECT_DOUBLE_EQ(patella->mm3A, 0.0);
    EXPECT_FALSE(patella->differencePercent()); // no volume in A to relate to
}

TEST(LabelAgreement, OtherGridsAreRefused)
{
    LabelMap a = emptyMap({10, 10, 10});
    LabelMap b = emptyMap({10, 10, 11});
    EXPECT_THROW((void)quant::compareLabelMaps(a, b), InvalidArgument);
    LabelMap c = emptyMap({10, 10, 10}, {1, 1, 2});
    EXPECT_THROW((void)quant::compareLabelMaps(a, c), InvalidArgument);
}

TEST(LabelAgreement, CancelStops)
{
    LabelMap a = emptyMap({10, 10, 10});
    std::stop_source stop;
    stop.request_stop();
    EXPECT_THROW((void)quant::compareLabelMaps(a, a, {}, stop.get_token()), Cancelled);
}

TEST(LabelAgreement, TableAndCsv)
{
    LabelMap a = emptyMap({20, 20, 20});
    LabelMap b = emptyMap({20, 20, 20});
    paintBox(a, {5, 5, 5}, {15, 15, 15}, 2);
    paintBox(b, {4, 4, 4}, {16, 16, 16}, 2);
    paintBox(a, {0, 0, 0}, {2, 2, 2}, 1);
    const auto t = results::labelComparisonTable(quant::compareLabelMaps(a, b), "loaded: truth.nii.gz", "AI result");
    ASSERT_EQ(t.rows.size(), 2u);
    EXPECT_EQ(t.rowLabels, (std::vector<int>{1, 2}));
    EXPECT_EQ(t.rows[1][0].text, "Tibia");
    EXPECT_EQ(t.rows[1][2].text, "0.7331");       // 2000 / 2728
    EXPECT_EQ(t.rows[1][5].text, "728.0");        // B - A mm³
    EXPECT_EQ(t.rows[1][6].text, "72.8");         // %
    EXPECT_EQ(t.rows[0][7].text, "");             // femur is not in B: no distance
    const auto file = std::filesystem::temp_directory_path() / "strata_label_comparison_test.csv";
    t.writeCsv(file);
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_EQ(text.str(), t.toCsv());
    EXPECT_NE(text.str().find("Tibia,2,0.7331,1000.0,1728.0,728.0,72.8,"), std::string::npos) << text.str();
    std::filesystem::remove(file);
}

#include "strata/quant/Cleanup.h"
#include "strata/Error.h"
#include "strata/quant/Volumes.h"

#include <gtest/gtest.h>

#include <chrono>

using namespace strata;

namespace {

LabelMap emptyMap(Size3 size)
{
    Image img(size, PixelType::UInt8);
    img.setSpacing({0.5, 0.5, 1.0});
    return LabelMap(img, LabelTable({{1, "femur", {}}, {2, "tibia", {}}}));
}

void box(LabelMap& m, std::uint8_t v, Size3 lo, Size3 hi)
{
    auto px = m.ids();
    for (std::size_t k = lo[2]; k < hi[2]; ++k)
        for (std::size_t j = lo[1]; j < hi[1]; ++j)
            for (std::size_t i = lo[0]; i < hi[0]; ++i) px[m.image().linearIndex(i, j, k)] = v;
}

} // namespace

TEST(QuantCleanup, KeepsLargestComponentAndFillsHoles)
{
    LabelMap m = emptyMap({30, 30, 20});
    box(m, 1, {2, 2, 2}, {12, 12, 12});   // big femur block
    box(m, 0, {5, 5, 5}, {7, 7, 7});      // enclosed hole in it
    box(m, 1, {20, 20, 2}, {22, 22, 4});  // stray femur island
    box(m, 2, {15, 2, 2}, {25, 10, 10});  // tibia
    box(m, 1, {18, 4, 4}, {19, 5, 5});    // femur speck inside the tibia -> removed, then filled with tibia
    const auto report = quant::cleanupLabels(m);
    const auto counts = m.voxelCounts();
    EXPECT_EQ(counts.at(1), 1000u);
    EXPECT_EQ(counts.at(2), 640u);
    EXPECT_EQ(report.voxelsRemoved, 8u + 1u);
    EXPECT_EQ(report.voxelsFilled, 8u + 1u);
}

TEST(QuantCleanup, DiagonalContactDependsOnConnectivity)
{
    for (const auto c : {quant::Connectivity::Face6, quant::Connectivity::Full26}) {
        LabelMap m = emptyMap({10, 10, 10});
        box(m, 1, {1, 1, 1}, {4, 4, 4});
        box(m, 1, {4, 4, 4}, {5, 5, 5}); // touches the block at a corner only
        quant::CleanupOptions o;
        o.connectivity = c;
        quant::cleanupLabels(m, o);
        EXPECT_EQ(m.voxelCounts().at(1), c == quant::Connectivity::Full26 ? 28u : 27u);
    }
}

TEST(QuantCleanup, PocketBetweenTwoLabelsAndBorderPocketsStay)
{
    LabelMap m = emptyMap({20, 10, 10});
    box(m, 1, {1, 1, 1}, {9, 9, 9});
    box(m, 2, {9, 1, 1}, {17, 9, 9});
    box(m, 0, {8, 4, 4}, {10, 6, 6}); // pocket shared by labels 1 and 2
    quant::cleanupLabels(m);
    EXPECT_EQ(m.image().valueAt(8, 4, 4), 0.0);
    EXPECT_EQ(m.image().valueAt(0, 0, 0), 0.0);
}

// A plate (label 2) marked in two pieces: a small one lying on the bone (label 1) and a larger one 5 mm away.
// Plain cleanup keeps the larger; anchored on the bone, the piece on the bone is kept, with the counts reported.
TEST(QuantCleanup, AnchoredLabelKeepsThePieceOnItsAnchor)
{
    for (const bool anchored : {false, true}) {
        LabelMap m = emptyMap({40, 20, 20}); // spacing 0.5 x 0.5 x 1 mm
        box(m, 1, {2, 2, 2}, {12, 18, 18});   // bone
        box(m, 2, {12, 4, 4}, {14, 16, 16});  // 2 voxels thick on the bone's face: 288 voxels
        box(m, 2, {24, 2, 2}, {30, 18, 18});  // larger piece 5 mm from the bone: 1536 voxels
        box(m, 1, {36, 2, 2}, {38, 4, 4});    // a stray bone speck, removed before the plate is anchored
        box(m, 2, {34, 2, 2}, {36, 4, 4});    // plate speck on that stray bone: must not win
        quant::CleanupOptions o;
        if (anchored) o.anchors.push_back({2, 1, 1.5});
        const auto report = quant::cleanupLabels(m, o);
        EXPECT_EQ(m.voxelCounts().at(2), anchored ? 288u : 1536u) << anchored;
        EXPECT_EQ(m.image().valueAt(12, 10, 10), anchored ? 2.0 : 0.0);
        EXPECT_EQ(report.components.at(2).largest, 1536u);
        EXPECT_EQ(report.components.at(2).kept, anchored ? 288u : 1536u);
        EXPECT_EQ(report.components.at(1).kept, 2560u);
    }
}

TEST(QuantCleanup, AnchoredLabelFarFromItsAnchorKeepsTheLargest)
{
    LabelMap m = emptyMap({40, 20, 20});
    box(m, 1, {2, 2, 2}, {6, 18, 18});
    box(m, 2, {20, 4, 4}, {22, 6, 6});
    box(m, 2, {30, 2, 2}, {36, 18, 18});
    quant::CleanupOptions o;
    o.anchors.push_back({2, 1, 1.5}); // no piece within 1.5 mm of the bone
    quant::cleanupLabels(m, o);
    EXPECT_EQ(m.voxelCounts().at(2), 6u * 16u * 16u);
    o.anchors = {{2, 2, 1.0}};
    EXPECT_THROW(quant::cleanupLabels(m, o), InvalidArgument);
}

TEST(QuantCleanup, TenMillionVoxelsIsFast)
{
    LabelMap m = emptyMap({256, 256, 160});
    box(m, 1, {10, 10, 10}, {120, 200, 150});
    box(m, 2, {130, 10, 10}, {250, 200, 150});
    box(m, 1, {200, 220, 100}, {210, 230, 110});
    const auto t0 = std::chrono::steady_clock::now();
    quant::cleanupLabels(m);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("cleanup of 10.5M voxels: %.3f s\n", s);
    EXPECT_LT(s, 4.0);
}

TEST(QuantVolumes, NamesAndCubicMillimetres)
{
    LabelMap m = emptyMap({10, 10, 10});
    box(m, 1, {0, 0, 0}, {2, 2, 2});
    box(m, 3, {5, 5, 5}, {6, 6, 7});
    const auto v = quant::labelVolumes(m);
    ASSERT_EQ(v.size(), 2u);
    EXPECT_EQ(v[0].name, "femur");
    EXPECT_DOUBLE_EQ(v[0].mm3, 8 * 0.25);
    EXPECT_EQ(v[1].name, "label 3");
    EXPECT_EQ(v[1].voxels, 2u);
    EXPECT_DOUBLE_EQ(quant::volumesJson(v)["femur"].get<double>(), 2.0);
}

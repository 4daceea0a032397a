#include "strata/core/phantom/KneeLabels.h"
#include "strata/core/phantom/KneePhantom.h"
#include "strata/core/quant/KneeThickness.h"
#include "strata/core/quant/MarchingCubes.h"
#include "strata/core/quant/MeshSampling.h"

#include <gtest/gtest.h>

using namespace strata;

TEST(QuantKneeThickness, ReducedPhantomPlatesNearTruth)
{
    // Coarse voxels (0.8 x 0.8 x 1.4 mm, about 2-3 voxels across a plate): the discretisation error is
    // larger than at full resolution (tests/slow/QuantAccuracySlowTest.cpp checks the 0.2 mm criterion).
    phantom::KneePhantomParams p;
    p.size = {128, 128, 80};
    p.spacing = {0.8, 0.8, 1.4};
    const auto c = phantom::generateKneePhantom(p);
    const auto r = quant::measureKneeThickness(c.labels);
    ASSERT_EQ(r.plates.size(), 4u);
    for (const auto& [name, s] : r.plates) {
        const double truth = c.groundTruth["thickness_mm"][name]["mean"].get<double>();
        std::printf("%-26s truth %.3f  area-weighted %.3f  voxel mean %.3f\n", name.c_str(), truth, s.areaWeightedMean, s.mean);
        EXPECT_GT(s.voxels, 100u) << name;
        EXPECT_NEAR(s.areaWeightedMean, truth, 0.3) << name;
        EXPECT_LE(s.p5, s.median);
        EXPECT_LE(s.median, s.p95);
    }
    ASSERT_EQ(r.femoralRegions.size(), 6u);
    std::size_t regionVoxels = 0;
    for (const auto& [name, s] : r.femoralRegions) {
        EXPECT_GT(s.voxels, 0u) << name;
        regionVoxels += s.voxels;
    }
    EXPECT_EQ(regionVoxels, r.plates.at("femoral_cartilage").voxels);
    const auto json = r.toJson();
    EXPECT_TRUE(json["thickness_mm"].contains("patellar_cartilage"));
    EXPECT_TRUE(json["femoral_regions_thickness_mm"].contains("medial_central"));

    // Thickness on the femoral cartilage mesh.
    Image mask(c.labels.image().size(), PixelType::UInt8);
    mask.copyGeometryFrom(c.labels.image());
    const auto ids = c.labels.ids();
    auto m = mask.pixels<std::uint8_t>();
    for (std::size_t i = 0; i < m.size(); ++i) m[i] = ids[i] == phantom::FemoralCartilage ? 1 : 0;
    quant::Mesh mesh = quant::marchingCubes(mask);
    quant::sampleVertexScalars(mesh, r.map, "thickness_mm");
    std::size_t positive = 0;
    for (float s : mesh.scalars) positive += s > 0 ? 1 : 0;
    EXPECT_GT(static_cast<double>(positive), 0.99 * static_cast<double>(mesh.scalars.size()));
}

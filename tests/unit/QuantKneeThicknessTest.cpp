#include "strata/phantom/KneeLabels.h"
#include "strata/phantom/KneePhantom.h"
#include "strata/quant/KneeThickness.h"
#include "strata/quant/MarchingCubes.h"
#include "strata/quant/MeshSampling.h"

#include <gtest/gtest.h>

#include <map>

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
    // Every cartilage voxel with a thickness is in exactly one plate-level region of its plate.
    ASSERT_EQ(r.subregions.regions.size(), 11u + 6u + 6u + 1u);
    std::size_t femoralVoxels = 0;
    for (const char* name : {"cMF", "cLF", "TrF", "pMF", "pLF"}) {
        EXPECT_GT(r.subregions.regions.at(name).thickness.voxels, 0u) << name;
        femoralVoxels += r.subregions.regions.at(name).thickness.voxels;
    }
    EXPECT_EQ(femoralVoxels, r.plates.at("femoral_cartilage").voxels);
    const auto json = r.toJson();
    EXPECT_TRUE(json["thickness_mm"].contains("patellar_cartilage"));
    EXPECT_TRUE(json["subregions"].contains("ecMF"));
    EXPECT_TRUE(quant::SubregionFrame::fromMetrics(json).has_value());
    // Subchondral bone area against the phantom's true plate area (bone surface under each plate); the phantom has
    // no denuded bone, so dAB is only the voxels' staircase at the plate edges.
    const auto& R = r.subregions.regions;
    const std::map<std::string, double> tab{
        {"femoral_cartilage", R.at("cMF").tabMm2 + R.at("cLF").tabMm2 + R.at("TrF").tabMm2 + R.at("pMF").tabMm2 + R.at("pLF").tabMm2},
        {"medial_tibial_cartilage", R.at("MT").tabMm2},
        {"lateral_tibial_cartilage", R.at("LT").tabMm2},
        {"patellar_cartilage", R.at("P").tabMm2}};
    for (const auto& [plate, area] : tab) {
        const double truth = c.groundTruth["thickness_mm"][plate]["area_mm2"].get<double>();
        std::printf("%-26s tAB %.1f mm2, truth %.1f mm2\n", plate.c_str(), area, truth);
        EXPECT_NEAR(area, truth, 0.08 * truth) << plate;
    }
    for (const char* name : {"MT", "LT", "P", "cMF", "cLF"}) {
        std::printf("%-4s dAB %.2f %%  ThCcAB %.3f mm\n", name, R.at(name).dabPercent(), R.at(name).thccabMm);
        EXPECT_LT(R.at(name).dabPercent(), 5.0) << name;
    }
    EXPECT_NEAR(R.at("MT").thccabMm, c.groundTruth["thickness_mm"]["medial_tibial_cartilage"]["mean"].get<double>(), 0.3);
    EXPECT_NEAR(R.at("P").thccabMm, c.groundTruth["thickness_mm"]["patellar_cartilage"]["mean"].get<double>(), 0.3);

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

// Wirth & Eckstein subregions on synthetic knees whose subregion truth follows from their construction: flat
// tibial plates (elliptic footprint, known thickness per subregion, a denuded hole of known area) and two
// cylindrical femoral condyles with a trochlea (known notch, posterior end and thirds).
#include "strata/phantom/KneeLabels.h"
#include "strata/quant/CartilageSubregions.h"
#include "strata/quant/KneeThickness.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <numbers>

using namespace strata;
using namespace strata::phantom;

namespace {

constexpr double kH = 0.5; // mm, isotropic voxels

LabelMap makeLabels(Size3 size, const std::function<int(double, double, double)>& labelAt)
{
    Image img(size, PixelType::UInt8);
    img.setSpacing({kH, kH, kH});
    auto px = img.pixels<std::uint8_t>();
    std::size_t n = 0;
    for (std::size_t k = 0; k < size[2]; ++k)
        for (std::size_t j = 0; j < size[1]; ++j)
            for (std::size_t i = 0; i < size[0]; ++i, ++n)
                px[n] = static_cast<std::uint8_t>(labelAt(static_cast<double>(i) * kH, static_cast<double>(j) * kH,
                                                          static_cast<double>(k) * kH));
    return LabelMap(std::move(img), kneeLabelTable());
}

// Tibial plates: bone below z = 10 mm; two elliptic plates (semi-axes 15 x 20 mm) centred at x = 25 (medial, the
// -x side here) and x = 55, y = 30. Medial plate: 2 mm thick, 1.5 mm in its external sector, 3 mm in its internal
// sector, and a hole of radius 3 mm (denuded) in its anterior sector.
constexpr double kBoneTop = 10.0, kAx = 15.0, kAy = 20.0;

bool inEllipse(double x, double y, double cx, double cy, double ax, double ay)
{
    return (x - cx) * (x - cx) / (ax * ax) + (y - cy) * (y - cy) / (ay * ay) <= 1.0;
}

/// Sector of (u, v) around the centre with the bounding-box diagonals as boundaries, the central 20 % ellipse
/// first, as the scheme defines it ("c", "e", "i", "a", "p"); external is -x for the medial plate.
char sectorOf(double u, double v, bool medial)
{
    const double s = std::sqrt(0.2);
    if (u * u / (kAx * kAx * s * s) + v * v / (kAy * kAy * s * s) <= 1.0) return 'c';
    if (std::abs(u) / kAx > std::abs(v) / kAy) return (u < 0.0) == medial ? 'e' : 'i';
    return v < 0.0 ? 'a' : 'p';
}

double medialThickness(char sector)
{
    return sector == 'e' ? 1.5 : sector == 'i' ? 3.0 : 2.0;
}

int tibiaLabel(double x, double y, double z)
{
    if (z < kBoneTop) return Tibia;
    if (inEllipse(x, y, 25, 30, kAx, kAy)) {
        const double u = x - 25, v = y - 30;
        const char s = sectorOf(u, v, true);
        if (s == 'a' && std::hypot(u - 0.0, v + 14.0) <= 3.0) return Background; // the denuded hole
        return z < kBoneTop + medialThickness(s) ? MedialTibialCartilage : Background;
    }
    if (inEllipse(x, y, 55, 30, kAx, kAy)) return z < kBoneTop + 2.0 ? LateralTibialCartilage : Background;
    return Background;
}

} // namespace

TEST(CartilageSubregions, TibialPlatesAreasAndThicknessPerSubregion)
{
    const LabelMap labels = makeLabels({160, 120, 36}, tibiaLabel);
    quant::KneeThicknessOptions options;
    options.localThickness.maxSubvoxelMm = 0.0; // 0.5 mm voxels: 3 to 6 across each plate
    const auto r = quant::measureKneeThickness(labels, options);
    const auto& f = r.subregions.frame;
    EXPECT_EQ(f.medialSign, -1.0); // the medial plate is at smaller x

    // Frame: centre, box and the 20 % ellipse of the footprint.
    const double s = std::sqrt(0.2);
    EXPECT_NEAR(f.medialTibia.centre[0], 25.0, 0.3);
    EXPECT_NEAR(f.medialTibia.centre[1], 30.0, 0.5); // the hole pulls it back a little
    EXPECT_NEAR(f.lateralTibia.centre[0], 55.0, 0.1);
    EXPECT_NEAR(f.lateralTibia.semiAxes[0], kAx * s, 0.4);
    EXPECT_NEAR(f.lateralTibia.semiAxes[1], kAy * s, 0.5);
    EXPECT_NEAR(f.lateralTibia.box[2] - f.lateralTibia.box[0], 2 * kAx, 1.0);

    // Areas: a flat plate's tAB is its footprint; the 3 mm hole is denuded.
    const auto& R = r.subregions.regions;
    const double footprint = std::numbers::pi * kAx * kAy, hole = std::numbers::pi * 9.0;
    EXPECT_NEAR(R.at("LT").tabMm2, footprint, 0.02 * footprint);
    EXPECT_NEAR(R.at("LT").cabMm2, R.at("LT").tabMm2, 1e-9);
    EXPECT_NEAR(R.at("LT").dabPercent(), 0.0, 1e-9);
    EXPECT_NEAR(R.at("cLT").tabMm2, 0.2 * footprint, 0.04 * 0.2 * footprint);
    for (const char* sub : {"eLT", "iLT", "aLT", "pLT"}) // four equal quarters of the ring (affine image of a circle)
        EXPECT_NEAR(R.at(sub).tabMm2, 0.2 * footprint, 0.05 * 0.2 * footprint) << sub;
    EXPECT_NEAR(R.at("MT").tabMm2, footprint, 0.02 * footprint);
    EXPECT_NEAR(R.at("MT").tabMm2 - R.at("MT").cabMm2, hole, 0.15 * hole);
    EXPECT_NEAR(R.at("aMT").dabPercent(), 100.0 * hole / (0.2 * footprint), 1.5);
    EXPECT_NEAR(R.at("pMT").dabPercent(), 0.0, 1e-9);

    // Thickness per subregion, on the covered bone (ThCcAB) and over tAB with the hole as 0 (ThCtAB).
    EXPECT_NEAR(R.at("LT").thccabMm, 2.0, 0.15);
    EXPECT_NEAR(R.at("cMT").thccabMm, 2.0, 0.15);
    EXPECT_NEAR(R.at("eMT").thccabMm, 1.5, 0.2);
    EXPECT_NEAR(R.at("iMT").thccabMm, 3.0, 0.2);
    EXPECT_NEAR(R.at("iMT").thickness.median, 3.0, 0.2);
    EXPECT_NEAR(R.at("eMT").thickness.median, 1.5, 0.2);
    EXPECT_NEAR(R.at("aMT").thctabMm(), R.at("aMT").thccabMm * (1.0 - R.at("aMT").dabPercent() / 100.0), 1e-9);
    EXPECT_LT(R.at("aMT").thctabMm(), R.at("aMT").thccabMm - 0.1);

    // Volumes: the subregions add up to their plate, and to the voxel count.
    double sum = 0;
    for (const char* sub : {"cMT", "eMT", "iMT", "aMT", "pMT"}) sum += R.at(sub).volumeMm3;
    EXPECT_NEAR(sum, R.at("MT").volumeMm3, 1e-6);
    EXPECT_NEAR(R.at("MT").volumeMm3, static_cast<double>(labels.voxelCounts().at(MedialTibialCartilage)) * kH * kH * kH, 1e-6);
    EXPECT_FALSE(R.contains("cMF")); // no femoral cartilage, no femoral rows

    // The frame survives metrics.json.
    const auto back = quant::SubregionFrame::fromMetrics(r.toJson());
    ASSERT_TRUE(back.has_value());
    for (double x = 5; x < 80; x += 3.1)
        for (double y = 5; y < 58; y += 2.9)
            EXPECT_EQ(back->regionAt({x, y, 11}, MedialTibialCartilage), f.regionAt({x, y, 11}, MedialTibialCartilage));
}

namespace {

// Femur: two condyles, cylinders of radius 20 mm along x (x 10..35 and 45..70) about the line y = 40, z = 30, and
// a trochlea (a block x 10..70, y 20..40, z 30..60) joining them in front. Cartilage 2 mm thick on the lower half
// of each condyle and on the front of the trochlea. Notch at x = 40; trochlear notch at y = 20; the condyles'
// cartilage ends at y = 40 + 22 = 62 behind, so the weight-bearing parts end at about 20 + 0.6 (62 - 20) = 45.2
// (voxel centres: 19.5 + 0.6 (61.5 - 19.5) = 44.7).
int femurLabel(double x, double y, double z)
{
    const bool condyleX = (x >= 10 && x <= 35) || (x >= 45 && x <= 70);
    const double r = std::hypot(y - 40, z - 30);
    const bool block = x >= 10 && x <= 70 && y >= 20 && y <= 40 && z >= 30 && z <= 60;
    if ((condyleX && r <= 20) || block) return Femur;
    if (condyleX && r <= 22 && z <= 30) return FemoralCartilage;
    if (x >= 10 && x <= 70 && y >= 18 && y < 20 && z >= 30 && z <= 60) return FemoralCartilage;
    // Tibial plates under the condyles tell medial from lateral: medial at smaller x.
    if (z < 6) return Tibia;
    if (z < 8 && std::abs(y - 40) < 10) return x > 12 && x < 33 ? MedialTibialCartilage : x > 47 && x < 68 ? LateralTibialCartilage : 0;
    return Background;
}

} // namespace

TEST(CartilageSubregions, FemoralNotchWeightBearingLimitAndThirds)
{
    const LabelMap labels = makeLabels({160, 140, 130}, femurLabel);
    quant::KneeThicknessOptions options;
    options.localThickness.maxSubvoxelMm = 0.0;
    const auto r = quant::measureKneeThickness(labels, options);
    const auto& f = r.subregions.frame;
    EXPECT_EQ(f.medialSign, -1.0);
    EXPECT_NEAR(f.notchX, 40.0, 1.0);
    EXPECT_NEAR(f.notchY, 19.5, 0.3); // the last voxel centre of the trochlear cartilage
    EXPECT_NEAR(f.medialCondyle.weightBearingEndY, 45.0, 0.6);
    EXPECT_NEAR(f.lateralCondyle.weightBearingEndY, 45.0, 0.6);
    // Thirds of each condyle's width (10..35 medial, internal next to the notch at 35; 45..70 lateral).
    EXPECT_NEAR(f.medialCondyle.internalX, 35.0 - 25.0 / 3.0, 0.6);
    EXPECT_NEAR(f.medialCondyle.externalX, 35.0 - 50.0 / 3.0, 0.6);
    EXPECT_NEAR(f.lateralCondyle.internalX, 45.0 + 25.0 / 3.0, 0.6);
    EXPECT_EQ(f.regionAt({12, 40, 8}, FemoralCartilage), "ecMF");
    EXPECT_EQ(f.regionAt({33, 40, 8}, FemoralCartilage), "icMF");
    EXPECT_EQ(f.regionAt({58, 40, 8}, FemoralCartilage), "ccLF");
    EXPECT_EQ(f.regionAt({58, 10, 40}, FemoralCartilage), "TrF");
    EXPECT_EQ(f.regionAt({20, 55, 15}, FemoralCartilage), "pMF");

    const auto& R = r.subregions.regions;
    for (const char* name : {"cMF", "cLF", "TrF", "pMF", "pLF", "ecMF", "ccMF", "icMF", "ecLF", "ccLF", "icLF"}) {
        ASSERT_TRUE(R.contains(name)) << name;
        EXPECT_GT(R.at(name).volumeMm3, 0.0) << name;
        EXPECT_NEAR(R.at(name).thccabMm, 2.0, 0.25) << name;
        EXPECT_LT(R.at(name).dabPercent(), 2.0) << name;
    }
    // The thirds split the weight-bearing condyle into equal widths of a cylinder: equal areas and volumes.
    EXPECT_NEAR(R.at("ecMF").volumeMm3, R.at("ccMF").volumeMm3, 0.06 * R.at("ccMF").volumeMm3);
    EXPECT_NEAR(R.at("icLF").tabMm2, R.at("ccLF").tabMm2, 0.06 * R.at("ccLF").tabMm2);
    double plate = 0;
    for (const char* name : {"cMF", "cLF", "TrF", "pMF", "pLF"}) plate += R.at(name).volumeMm3;
    EXPECT_NEAR(plate, static_cast<double>(labels.voxelCounts().at(FemoralCartilage)) * kH * kH * kH, 1e-6);
    // Weight-bearing condyle area: the arc of the cylinder (radius 20) from the front (y = 20) back to the limit,
    // times its width 25 mm.
    const double arc = 20.0 * (std::numbers::pi / 2.0 + std::asin((f.medialCondyle.weightBearingEndY - 40.0) / 20.0));
    EXPECT_NEAR(R.at("cMF").tabMm2, arc * 25.0, 0.06 * arc * 25.0);
}

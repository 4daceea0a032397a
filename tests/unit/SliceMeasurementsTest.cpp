// Hand measurements of the slice views (issue 24, item 1): distance and angle in patient space, statistics of a
// rectangle or ellipse drawn on a slice.
#include "strata/measure/SliceMeasurements.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace strata;
using namespace strata::measure;

namespace {

/// 40 x 30 x 20 float image, value = i + 100 j + 10000 k, anisotropic voxels.
Image ramp(const Vec3& spacing, const std::array<double, 9>& direction = {1, 0, 0, 0, 1, 0, 0, 0, 1})
{
    Image img(Size3{40, 30, 20}, PixelType::Float32);
    img.setSpacing(spacing);
    img.setDirection(direction);
    img.setOrigin({-12.0, 7.0, 3.5});
    auto px = img.pixels<float>();
    for (std::size_t k = 0; k < 20; ++k)
        for (std::size_t j = 0; j < 30; ++j)
            for (std::size_t i = 0; i < 40; ++i) px[i + 40 * (j + 30 * k)] = static_cast<float>(i + 100 * j + 10000 * k);
    return img;
}

} // namespace

TEST(SliceMeasurements, DistanceIsInMillimetresWhateverTheVoxelsAndDirection)
{
    const Image img = ramp({0.5, 0.8, 2.0});
    EXPECT_NEAR(distanceMm(img, {0, 0, 0}, {10, 0, 0}), 5.0, 1e-12);
    EXPECT_NEAR(distanceMm(img, {0, 0, 0}, {0, 5, 0}), 4.0, 1e-12);
    EXPECT_NEAR(distanceMm(img, {1.5, 2, 3}, {1.5 + 6, 2 + 5, 3}), 5.0, 1e-12); // 3 mm x 4 mm
    // An oblique (rotated) direction matrix keeps lengths.
    const double c = std::cos(0.3), s = std::sin(0.3);
    const Image oblique = ramp({0.5, 0.8, 2.0}, {c, -s, 0, s, c, 0, 0, 0, 1});
    EXPECT_NEAR(distanceMm(oblique, {0, 0, 0}, {6, 5, 1}), std::sqrt(9.0 + 16.0 + 4.0), 1e-9);
}

TEST(SliceMeasurements, AngleIsMeasuredInPatientSpace)
{
    const Image img = ramp({0.5, 1.0, 1.0});
    EXPECT_NEAR(angleDegrees(img, {10, 0, 0}, {0, 0, 0}, {0, 7, 0}), 90.0, 1e-9);
    // 2 voxels along x are 1 mm: index (2, 1) is 45 degrees in mm, not 26.6 as on the voxel grid.
    EXPECT_NEAR(angleDegrees(img, {4, 0, 0}, {0, 0, 0}, {2, 1, 0}), 45.0, 1e-9);
    EXPECT_NEAR(angleDegrees(img, {4, 0, 0}, {0, 0, 0}, {-4, 0, 0}), 180.0, 1e-9);
    EXPECT_EQ(angleDegrees(img, {0, 0, 0}, {0, 0, 0}, {1, 0, 0}), 0.0);
}

TEST(SliceMeasurements, RectangleStatisticsAreThoseOfTheVoxelsInside)
{
    const Image img = ramp({0.5, 0.8, 2.0});
    // Axial slice k = 4 (slice axis 2), i in 10..13, j in 3..5 (corners at voxel centres: inclusive).
    const RoiStatistics r = roiStatistics(img, RoiShape::Rectangle, 2, {13, 5, 4}, {10, 3, 4.4});
    ASSERT_EQ(r.voxels, 12u);
    EXPECT_NEAR(r.mean, 11.5 + 100 * 4 + 40000, 1e-9);
    EXPECT_EQ(r.min, 10 + 300 + 40000);
    EXPECT_EQ(r.max, 13 + 500 + 40000);
    // Sample SD of {i + 100 j}: i and j independent, var_i = 5/3 (4 values), var_j = 2/3 * 100^2 (3 values).
    const double populationVar = 1.25 + 10000.0 * 2.0 / 3.0;
    EXPECT_NEAR(r.sd, std::sqrt(populationVar * 12.0 / 11.0), 1e-9);
    EXPECT_NEAR(r.areaMm2, 12 * 0.5 * 0.8, 1e-12);
    EXPECT_NEAR(r.volumeMm3, 12 * 0.5 * 0.8 * 2.0, 1e-12);
    // Another plane (sagittal, slice axis 0): j and k span it.
    const RoiStatistics s = roiStatistics(img, RoiShape::Rectangle, 0, {7, 2, 1}, {0, 3, 2});
    EXPECT_EQ(s.voxels, 4u);
    EXPECT_NEAR(s.mean, 7 + 250 + 15000, 1e-9);
    EXPECT_NEAR(s.areaMm2, 4 * 0.8 * 2.0, 1e-12);
}

TEST(SliceMeasurements, EllipseKeepsTheVoxelsInsideAndOutsideIsClipped)
{
    Image img = ramp({1.0, 1.0, 1.0});
    // A circle of radius 8 voxels: about pi r^2 voxel centres.
    const RoiStatistics c = roiStatistics(img, RoiShape::Ellipse, 2, {12, 12, 5}, {28, 28, 5});
    EXPECT_NEAR(static_cast<double>(c.voxels), std::acos(-1.0) * 64.0, 10.0);
    EXPECT_NEAR(c.mean, 20 + 100 * 20 + 50000, 1e-6); // symmetric about its centre
    EXPECT_LT(c.voxels, roiStatistics(img, RoiShape::Rectangle, 2, {12, 12, 5}, {28, 28, 5}).voxels);
    // Half outside the image: only the voxels inside count; a slice outside gives nothing.
    EXPECT_EQ(roiStatistics(img, RoiShape::Rectangle, 2, {-5, -5, 0}, {1, 1, 0}).voxels, 4u);
    EXPECT_EQ(roiStatistics(img, RoiShape::Rectangle, 2, {0, 0, 25}, {3, 3, 25}).voxels, 0u);
    // One voxel: no SD.
    const RoiStatistics one = roiStatistics(img, RoiShape::Ellipse, 1, {3, 4, 5}, {3, 4, 5});
    EXPECT_EQ(one.voxels, 1u);
    EXPECT_EQ(one.sd, 0.0);
}

// 2D thickness maps: plates seen along a patient direction, the femoral cartilage unrolled, the PNG.
#include "TestSupport.h"
#include "strata/Error.h"
#include "strata/quant/ThicknessMap.h"

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

#include <cmath>

using namespace strata;
using namespace strata::quant;

namespace {

/// A 2-voxel slab of label 5 (thickness 2 mm) in z, 20 x 16 voxels, in a 24 x 20 x 10 image of 1 mm voxels.
std::pair<Image, Image> slab(const Mat3& direction = kIdentity3)
{
    Image labels({24, 20, 10}, PixelType::UInt8), thickness({24, 20, 10}, PixelType::Float32);
    auto lab = labels.pixels<std::uint8_t>();
    auto th = thickness.pixels<float>();
    for (std::size_t k = 4; k < 6; ++k)
        for (std::size_t j = 2; j < 18; ++j)
            for (std::size_t i = 2; i < 22; ++i) {
                const std::size_t n = i + 24 * (j + 20 * k);
                lab[n] = 5;
                th[n] = i < 12 ? 2.0f : 3.0f; // thicker on the patient-left half
            }
    labels.setDirection(direction);
    thickness.setDirection(direction);
    return {std::move(labels), std::move(thickness)};
}

} // namespace

TEST(ThicknessMap, APlateSeenFromAboveShowsItsThicknessEverywhereWithPatientDirections)
{
    const auto [labels, thickness] = slab();
    const auto map = ThicknessMap::project(thickness, labels, 5, {0, 0, -1}, {1, 0, 0});
    EXPECT_EQ(map.width, 20u);
    EXPECT_EQ(map.height, 16u);
    EXPECT_EQ(map.covered(), 320u);
    EXPECT_FLOAT_EQ(map.maxMm(), 3.0f);
    EXPECT_FLOAT_EQ(map.at(0, 5), 2.0f);  // patient right (x small) on the left edge
    EXPECT_FLOAT_EQ(map.at(19, 5), 3.0f);
    EXPECT_EQ(map.left, "R");
    EXPECT_EQ(map.right, "L");
    EXPECT_EQ(map.top, "A");
    EXPECT_EQ(map.bottom, "P");
    EXPECT_EQ(ThicknessMap::project(thickness, labels, 6, {0, 0, -1}, {1, 0, 0}).covered(), 0u);
}

TEST(ThicknessMap, StorageOrderDoesNotChangeTheMap)
{
    const auto [labels, thickness] = slab();
    // The same voxels stored with flipped x and y axes (direction diag(-1, -1, 1)): another place in space, but
    // the same plate seen from above must give the same picture of thickness by patient direction.
    const auto [fl, ft] = slab({-1, 0, 0, 0, -1, 0, 0, 0, 1});
    const auto a = ThicknessMap::project(thickness, labels, 5, {0, 0, -1}, {1, 0, 0});
    const auto b = ThicknessMap::project(ft, fl, 5, {0, 0, -1}, {1, 0, 0});
    ASSERT_EQ(a.width, b.width);
    ASSERT_EQ(a.height, b.height);
    // Flipping x in index space moves the thick half to patient right: the map shows it mirrored.
    EXPECT_FLOAT_EQ(b.at(0, 5), 3.0f);
    EXPECT_FLOAT_EQ(b.at(19, 5), 2.0f);
    EXPECT_EQ(a.covered(), b.covered());
}

TEST(ThicknessMap, AShellUnrolledAroundItsAxisCoversItsArc)
{
    // Half a cylindrical shell around the x axis (radius 19-21 mm, from superior through anterior to inferior).
    Image labels({30, 50, 50}, PixelType::UInt8), thickness({30, 50, 50}, PixelType::Float32);
    labels.setOrigin({0, -25, -25});
    thickness.setOrigin({0, -25, -25});
    auto lab = labels.pixels<std::uint8_t>();
    auto th = thickness.pixels<float>();
    std::size_t voxels = 0;
    for (std::size_t k = 0; k < 50; ++k)
        for (std::size_t j = 0; j < 50; ++j)
            for (std::size_t i = 5; i < 25; ++i) {
                const double y = static_cast<double>(j) - 25, z = static_cast<double>(k) - 25;
                const double r = std::hypot(y, z);
                if (r < 19 || r > 21 || y > 0) continue; // y <= 0: anterior half (LPS: -y is anterior)
                const std::size_t n = i + 30 * (j + 50 * k);
                lab[n] = 4;
                th[n] = 2.0f;
                ++voxels;
            }
    const auto map = ThicknessMap::unroll(thickness, labels, 4, {1, 0, 0}, {0, 0, 1}, {0, -1, 0});
    EXPECT_EQ(map.width, 20u);
    // 180 degrees at the mean radius (~20 mm of a shell whose centroid sits inside it) is ~60 one-mm rows.
    EXPECT_GT(map.height, 45u);
    EXPECT_LT(map.height, 80u);
    EXPECT_GT(static_cast<double>(map.covered()), 0.9 * static_cast<double>(map.width * map.height));
    EXPECT_FLOAT_EQ(map.maxMm(), 2.0f);
    EXPECT_EQ(map.top, "S");
    EXPECT_EQ(map.bottom, "I");
    EXPECT_EQ(map.left, "R");
}

TEST(ThicknessMap, PngHasTheMapAColourBarAndSurvivesAnEmptyPlate)
{
    test::TempDir dir;
    const auto [labels, thickness] = slab();
    const auto map = ThicknessMap::project(thickness, labels, 5, {0, 0, -1}, {1, 0, 0});
    map.writePng(dir / "maps" / "plate.png", "Medial tibial cartilage (mm)", 4.0);
    const cv::Mat png = cv::imread((dir / "maps" / "plate.png").string());
    ASSERT_FALSE(png.empty());
    EXPECT_GT(png.cols, static_cast<int>(map.width) * 2 + 60); // enlarged map + colour bar
    const auto empty = ThicknessMap::project(thickness, labels, 9, {0, 0, -1}, {1, 0, 0});
    empty.writePng(dir / "empty.png", "Nothing", 0);
    EXPECT_FALSE(cv::imread((dir / "empty.png").string()).empty());
    EXPECT_THROW(map.writePng("/proc/no/such/dir/x.png", "x", 1), IoError);
}

TEST(ThicknessMap, AChangeMapShowsTheMeanPerPixelOnADivergingScale)
{
    test::TempDir dir;
    auto [labels, change] = slab();
    auto c = change.pixels<float>();
    for (std::size_t n = 0; n < c.size(); ++n) { // lower layer -1 mm, upper layer lost on the right half: -1 / -2 mm
        const std::size_t k = n / (24 * 20), i = n % 24;
        if (labels.pixels<std::uint8_t>()[n] == 5) c[n] = k == 4 ? -1.0f : (i < 12 ? -1.0f : -3.0f);
    }
    const auto largest = ThicknessMap::project(change, labels, 5, {0, 0, -1}, {1, 0, 0});
    const auto mean = ThicknessMap::project(change, labels, 5, {0, 0, -1}, {1, 0, 0}, ThicknessMap::Reduction::Mean);
    EXPECT_FLOAT_EQ(largest.at(19, 5), -1.0f);
    EXPECT_FLOAT_EQ(mean.at(19, 5), -2.0f); // the mean of the column, not its largest value
    EXPECT_FLOAT_EQ(mean.at(0, 5), -1.0f);
    mean.writePng(dir / "change.png", "Medial tibial cartilage, thickness change (mm)", 2.0, true);
    const cv::Mat png = cv::imread((dir / "change.png").string());
    ASSERT_FALSE(png.empty());
    // Loss is blue: in the map's right half blue (BGR channel 0) dominates red.
    bool blue = false;
    for (int y = 0; y < png.rows && !blue; ++y)
        for (int x = 0; x < png.cols / 2 && !blue; ++x) {
            const auto p = png.at<cv::Vec3b>(y, x);
            blue = p[0] > p[2] + 80;
        }
    EXPECT_TRUE(blue);
}

#include "TestSupport.h"
#include "strata/Normalise.h"
#include "strata/Resample.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace strata;

TEST(Resample, LinearRampIsReproducedOnAFinerGrid)
{
    Image img({20, 10, 8}, PixelType::Float32);
    img.setSpacing({1.0, 2.0, 3.0});
    img.setOrigin({5, -4, 2});
    img.setDirection(test::obliqueDirection(0.3));
    auto px = img.pixels<float>();
    for (std::size_t k = 0; k < 8; ++k)
        for (std::size_t j = 0; j < 10; ++j)
            for (std::size_t i = 0; i < 20; ++i)
                px[img.linearIndex(i, j, k)] = static_cast<float>(i + 2.0 * j + 3.0 * k);
    const Image out = resampleToSpacing(img, {0.5, 1.0, 1.5}, Interpolation::Linear);
    EXPECT_EQ(out.size(), (Size3{40, 20, 16}));
    // Away from the border the ramp is linear in world coordinates: check via the input index.
    for (std::size_t k = 2; k < 14; k += 3)
        for (std::size_t j = 2; j < 18; j += 5)
            for (std::size_t i = 2; i < 38; i += 7) {
                const Vec3 in = img.worldToIndex(out.indexToWorld({double(i), double(j), double(k)}));
                EXPECT_NEAR(out.valueAt(i, j, k), in[0] + 2 * in[1] + 3 * in[2], 1e-3);
            }
}

TEST(Resample, NearestKeepsLabelsAndRoundTrips)
{
    Image lab({16, 16, 16}, PixelType::UInt8);
    lab.setSpacing({0.4, 0.4, 0.7});
    auto px = lab.pixels<std::uint8_t>();
    for (std::size_t n = 0; n < px.size(); ++n) px[n] = static_cast<std::uint8_t>((n / 37) % 5);
    const Image same = resampleLike(lab, lab, Interpolation::Nearest);
    EXPECT_EQ(same.pixelType(), PixelType::UInt8);
    EXPECT_TRUE(std::equal(px.begin(), px.end(), same.pixels<std::uint8_t>().begin()));
    EXPECT_TRUE(spacingMatches({0.4, 0.4, 0.7}, {0.401, 0.4, 0.7}));
    EXPECT_FALSE(spacingMatches({0.4, 0.4, 0.7}, {0.5, 0.4, 0.7}));
}

TEST(Normalise, PercentilesMatchNumpyAndZScore)
{
    Image img({10, 1, 1}, PixelType::Int16);
    auto px = img.pixels<std::int16_t>();
    for (int i = 0; i < 10; ++i) px[static_cast<std::size_t>(i)] = static_cast<std::int16_t>(i * 10);
    // numpy.percentile(range(0, 100, 10), 25) == 22.5
    EXPECT_DOUBLE_EQ(exactPercentile(img, 25), 22.5);
    EXPECT_DOUBLE_EQ(exactPercentile(img, 0), 0.0);
    EXPECT_DOUBLE_EQ(exactPercentile(img, 100), 90.0);
    const Image z = clipAndZScore(img, 0, 100);
    double mean = 0, sq = 0;
    for (float v : z.pixels<float>()) mean += v;
    mean /= 10;
    for (float v : z.pixels<float>()) sq += (v - mean) * (v - mean);
    EXPECT_NEAR(mean, 0.0, 1e-6);
    EXPECT_NEAR(std::sqrt(sq / 10), 1.0, 1e-5);
    const Image clipped = clipAndZScore(img, 20, 80);
    EXPECT_FLOAT_EQ(clipped.pixels<float>()[0], clipped.pixels<float>()[1]); // 0 clipped up to 18
}

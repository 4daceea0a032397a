#include "strata/Error.h"
#include "strata/Image.h"
#include "strata/LabelMap.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace strata;

TEST(Image, AllocatesTypedBuffer)
{
    Image img({4, 3, 2}, PixelType::Int16);
    EXPECT_EQ(img.voxelCount(), 24u);
    EXPECT_EQ(img.byteCount(), 48u);
    auto px = img.pixels<std::int16_t>();
    px[img.linearIndex(3, 2, 1)] = -7;
    EXPECT_EQ(img.valueAt(3, 2, 1), -7.0);
    EXPECT_THROW((void)img.pixels<float>(), InvalidArgument);
}

TEST(Image, RejectsInvalidSizesAndSpacing)
{
    EXPECT_THROW(Image({0, 1, 1}, PixelType::UInt8), InvalidArgument);
    EXPECT_THROW(Image({1, 1, 1}, PixelType::UInt8, 5), InvalidArgument);
    Image img({2, 2, 2}, PixelType::UInt8);
    EXPECT_THROW(img.setSpacing({1, 0, 1}), InvalidArgument);
    EXPECT_THROW(img.setSpacing({1, NAN, 1}), InvalidArgument);
    EXPECT_THROW(img.setDirection({1, 0, 0, 1, 0, 0, 0, 0, 1}), InvalidArgument);
}

TEST(Image, IndexWorldRoundTripWithObliqueDirection)
{
    Image img({10, 10, 10}, PixelType::Float32);
    img.setSpacing({0.4, 0.5, 0.7});
    img.setOrigin({-10, 20, 5});
    const double c = std::cos(0.3), s = std::sin(0.3);
    img.setDirection({c, -s, 0, s, c, 0, 0, 0, 1});
    const Vec3 idx{3.5, 2, 7};
    const Vec3 w = img.indexToWorld(idx);
    EXPECT_NEAR(w[0], -10 + c * 0.4 * 3.5 - s * 0.5 * 2, 1e-12);
    EXPECT_NEAR(w[2], 5 + 0.7 * 7, 1e-12);
    const Vec3 back = img.worldToIndex(w);
    for (int a = 0; a < 3; ++a) {
        EXPECT_NEAR(back[a], idx[a], 1e-9);
    }
}

TEST(Image, ConvertsWithSaturation)
{
    Image img({3, 1, 1}, PixelType::Float32);
    auto px = img.pixels<float>();
    px[0] = -5.6f;
    px[1] = 300.4f;
    px[2] = 41.6f;
    const Image u8 = img.convertedTo(PixelType::UInt8);
    EXPECT_EQ(u8.valueAt(0, 0, 0), 0.0);
    EXPECT_EQ(u8.valueAt(1, 0, 0), 255.0);
    EXPECT_EQ(u8.valueAt(2, 0, 0), 42.0);
    const auto mm = img.minMax();
    EXPECT_FLOAT_EQ(mm[0], -5.6f);
    EXPECT_FLOAT_EQ(mm[1], 300.4f);
}

TEST(Image, MinMaxOfEveryIntegerType)
{
    // Extremes anywhere in the buffer (first, last, middle), negative values, and a size that is no multiple of a
    // vector register: the reduction must find them all.
    Image s16({7, 5, 3}, PixelType::Int16);
    auto a = s16.pixels<std::int16_t>();
    for (std::size_t i = 0; i < a.size(); ++i) a[i] = static_cast<std::int16_t>((i * 37) % 200 - 100);
    a[a.size() - 1] = -32768;
    a[0] = 32767;
    EXPECT_EQ(s16.minMax(), (std::array<double, 2>{-32768.0, 32767.0}));
    Image u8({9, 1, 1}, PixelType::UInt8);
    auto b = u8.pixels<std::uint8_t>();
    for (std::size_t i = 0; i < b.size(); ++i) b[i] = static_cast<std::uint8_t>(50 + i);
    b[4] = 3;
    EXPECT_EQ(u8.minMax(), (std::array<double, 2>{3.0, 58.0}));
    Image s32({2, 2, 1}, PixelType::Int32);
    auto c = s32.pixels<std::int32_t>();
    c[0] = -7;
    c[1] = -9;
    c[2] = -8;
    c[3] = -7;
    EXPECT_EQ(s32.minMax(), (std::array<double, 2>{-9.0, -7.0}));
    Image u16({1, 1, 1}, PixelType::UInt16);
    u16.pixels<std::uint16_t>()[0] = 65535;
    EXPECT_EQ(u16.minMax(), (std::array<double, 2>{65535.0, 65535.0}));
}

TEST(LabelMap, CountsAndVolumes)
{
    Image ref({4, 4, 4}, PixelType::Float32);
    ref.setSpacing({0.5, 0.5, 2.0});
    LabelMap lm = LabelMap::like(ref, LabelTable({{1, "bone", {255, 0, 0, 255}}}));
    auto ids = lm.ids();
    ids[0] = 1;
    ids[1] = 1;
    ids[5] = 3;
    const auto counts = lm.voxelCounts();
    EXPECT_EQ(counts.at(0), 61u);
    EXPECT_EQ(counts.at(1), 2u);
    EXPECT_EQ(counts.at(3), 1u);
    EXPECT_DOUBLE_EQ(lm.volumesMm3().at(1), 1.0);
    EXPECT_EQ(lm.table().find(1)->name, "bone");
    EXPECT_FALSE(lm.table().find(2).has_value());
    EXPECT_THROW(LabelMap(Image({2, 2, 2}, PixelType::Int16), {}), InvalidArgument);
}

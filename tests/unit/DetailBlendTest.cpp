// blendDetail: network output where the picture has detail, bicubic where it is smooth, in proportion between.
#include "strata/Error.h"
#include "strata/superres/DetailBlend.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

using namespace strata;
using namespace strata::superres;

namespace {

RgbPlanes filled(int w, int h, float v)
{
    RgbPlanes p(w, h);
    for (auto& x : p.data) x = v;
    return p;
}

} // namespace

TEST(DetailBlend, SmoothAreasTakeBicubicDetailedAreasTheNetwork)
{
    RgbPlanes bicubic = filled(12, 8, 0.5f);
    // Right half: a fine black / white checkerboard (luma SD 0.5 around every pixel, far above 0.12).
    for (int y = 0; y < 8; ++y)
        for (int x = 6; x < 12; ++x)
            for (int c = 0; c < 3; ++c) bicubic.at(c, y, x) = ((x + y) % 2) ? 1.0f : 0.0f;
    const RgbPlanes network = filled(12, 8, 0.3f);
    const RgbPlanes out = blendDetail(network, bicubic, 0.12);
    EXPECT_FLOAT_EQ(out.at(1, 4, 1), 0.5f); // flat: bicubic (no contrast at all)
    EXPECT_FLOAT_EQ(out.at(1, 4, 9), 0.3f); // detailed: the network
    // Next to the edge the 3 x 3 window sees some of the checkerboard: strictly between the two.
    EXPECT_GT(out.at(0, 4, 5), 0.3f - 1e-6f);
    EXPECT_LT(out.at(0, 4, 5), 0.5f);
}

TEST(DetailBlend, WeightGrowsWithContrastUpToFull)
{
    // A vertical stripe pattern of amplitude a: luma SD over a 3 x 3 window = a * sqrt(2) / 3 (columns 0, a, 0 ...).
    for (const float a : {0.03f, 0.06f, 0.3f}) {
        RgbPlanes bicubic(9, 9);
        for (int y = 0; y < 9; ++y)
            for (int x = 0; x < 9; ++x)
                for (int c = 0; c < 3; ++c) bicubic.at(c, y, x) = (x % 2) ? a : 0.0f;
        RgbPlanes network = bicubic;
        for (auto& v : network.data) v += 0.1f;
        const RgbPlanes out = blendDetail(network, bicubic, 0.12);
        const double sd = a * std::sqrt(2.0) / 3.0;
        EXPECT_NEAR(out.at(2, 4, 4) - bicubic.at(2, 4, 4), 0.1 * std::min(1.0, sd / 0.12), 1e-5) << a;
    }
}

TEST(DetailBlend, ZeroMeansNetworkOnlyAndSizesMustMatch)
{
    const RgbPlanes network = filled(4, 4, 0.2f), bicubic = filled(4, 4, 0.7f);
    EXPECT_EQ(blendDetail(network, bicubic, 0.0).data, network.data);
    EXPECT_THROW((void)blendDetail(network, filled(5, 4, 0.7f), 0.12), InvalidArgument);
}

// The Colin27 T1 brain from Debian's mricron-data: a real 181x217x181 NIfTI with a known header.
#include "strata/ImageIO.h"

#include <gtest/gtest.h>

using namespace strata;

TEST(RealScan, Colin27HeaderAndIntensities)
{
    const std::filesystem::path path = "/usr/share/mricron/templates/ch2.nii.gz";
    ASSERT_TRUE(std::filesystem::exists(path)) << "install mricron-data (setup.sh does)";
    const Image img = readImage(path);
    EXPECT_EQ(img.size(), (Size3{181, 217, 181}));
    for (int a = 0; a < 3; ++a) {
        EXPECT_NEAR(img.spacing()[a], 1.0, 1e-6);
    }
    // The header's sform (RAS) is x = i - 90, y = j - 125, z = k - 71. In LPS that is origin (90, 125, -71)
    // with direction diag(-1, -1, 1).
    EXPECT_NEAR(img.origin()[0], 90.0, 1e-3);
    EXPECT_NEAR(img.origin()[1], 125.0, 1e-3);
    EXPECT_NEAR(img.origin()[2], -71.0, 1e-3);
    const Mat3 lps{-1, 0, 0, 0, -1, 0, 0, 0, 1};
    for (int i = 0; i < 9; ++i) {
        EXPECT_NEAR(img.direction()[i], lps[i], 1e-6) << i;
    }
    const auto [lo, hi] = img.minMax();
    EXPECT_GE(lo, 0.0);
    EXPECT_GT(hi, 50.0);
}

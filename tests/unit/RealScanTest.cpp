// The Colin27 T1 brain from Debian's mricron-data: a real 181x217x181 NIfTI with a known header.
#include "strata/core/ImageIO.h"

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
    // MNI space: the origin sits at the anterior commissure's offset.
    EXPECT_NEAR(img.origin()[0], 90.0, 1e-3);   // LPS: NIfTI's x = -90 (RAS) becomes +90
    EXPECT_NEAR(img.origin()[1], 126.0, 1e-3);  // y = -126 (RAS) becomes +126
    EXPECT_NEAR(img.origin()[2], -72.0, 1e-3);
    const auto [lo, hi] = img.minMax();
    EXPECT_GE(lo, 0.0);
    EXPECT_GT(hi, 50.0);
}

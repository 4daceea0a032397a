// Femoral cartilage regions: the frame that measureKneeThickness uses is written to metrics.json and read back
// by viewers, and points fall in the regions its description says.
#include "strata/core/quant/FemoralRegions.h"

#include <gtest/gtest.h>

using namespace strata;
using quant::FemoralRegionFrame;

TEST(FemoralRegions, PointsFallInTheDescribedRegions)
{
    const FemoralRegionFrame f{{10, 20, 30}, -1.0, 45.0}; // medial is -x
    EXPECT_EQ(f.regionAt({5, 20, 20}), "medial_central");      // straight below the centroid
    EXPECT_EQ(f.regionAt({15, 20, 20}), "lateral_central");
    EXPECT_EQ(f.regionAt({5, 30, 25}), "medial_posterior");    // +y posterior, 63 degrees from inferior
    EXPECT_EQ(f.regionAt({5, 10, 25}), "medial_anterior");     // -y anterior
    EXPECT_EQ(f.regionAt({5, 29, 21}), "medial_central");      // 45 degrees exactly: still central
    EXPECT_EQ(f.regionAt({15, 25, 40}), "lateral_posterior");  // above and behind
}

TEST(FemoralRegions, MetricsRoundTripAndOldBundles)
{
    const FemoralRegionFrame f{{1.5, -2, 3}, -1.0, 40.0};
    const nlohmann::json metrics = {{"femoral_region_frame", f.toJson()}};
    const auto back = FemoralRegionFrame::fromMetrics(metrics);
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(back->centroid, f.centroid);
    EXPECT_EQ(back->medialSign, -1.0);
    EXPECT_EQ(back->centralHalfAngleDeg, 40.0);
    // Bundles written before the half angle was recorded: the default 45 degrees.
    const nlohmann::json old = {{"femoral_region_frame", {{"centroid_mm", {1, 2, 3}}, {"medial_direction", {1, 0, 0}}}}};
    ASSERT_TRUE(FemoralRegionFrame::fromMetrics(old).has_value());
    EXPECT_EQ(FemoralRegionFrame::fromMetrics(old)->centralHalfAngleDeg, 45.0);
    EXPECT_FALSE(FemoralRegionFrame::fromMetrics(nlohmann::json::object()).has_value());
    EXPECT_FALSE(FemoralRegionFrame::fromMetrics({{"femoral_region_frame", {{"centroid_mm", {1, 2}}}}}).has_value());
}

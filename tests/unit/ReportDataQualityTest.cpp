// The report's quality-control warning (issue 16, part 4): a banner headline and reasons for not_a_knee and
// uncertain results, none for ok, the verdict in provenance and the QC sentence in Methods.
#include "strata/results/ReportData.h"

#include <gtest/gtest.h>

using namespace strata::results;

namespace {

ReportData reportWith(const std::string& verdict, std::vector<std::string> reasons)
{
    ResultBundle b;
    b.dir = "/tmp/bundle";
    b.metrics = {{"quality", {{"verdict", verdict}, {"reasons", reasons}, {"foreground_confidence", 0.79}}}};
    b.provenance = {{"pipeline", "knee-mri"}, {"notes", nlohmann::json::object()}};
    return ReportData::fromBundle(b);
}

std::string provenanceValue(const ReportData& r, const std::string& key)
{
    for (const auto& [k, v] : r.provenance)
        if (k == key) return v;
    return "";
}

} // namespace

TEST(ReportDataQuality, NotAKneeGetsABannerWithItsReasons)
{
    const auto r = reportWith("not_a_knee", {"The tibia is in pieces (only 45 % of it in its largest one)."});
    EXPECT_EQ(r.warning.rfind("Not a knee", 0), 0u) << r.warning;
    EXPECT_NE(r.warning.find("withheld"), std::string::npos);
    ASSERT_EQ(r.warningReasons.size(), 1u);
    EXPECT_EQ(provenanceValue(r, "Quality control"), "not_a_knee (mean network confidence 0.79)");
    EXPECT_NE(r.methods.find("Quality control:"), std::string::npos);
    EXPECT_NE(r.methods.find("(verdict: not_a_knee)"), std::string::npos) << r.methods;
}

TEST(ReportDataQuality, UncertainGetsABannerOkDoesNot)
{
    const auto u = reportWith("uncertain", {"femoral cartilage: low network confidence (0.77, below 0.80).", "x"});
    EXPECT_EQ(u.warning.rfind("Uncertain result", 0), 0u) << u.warning;
    EXPECT_EQ(u.warningReasons.size(), 2u);
    const auto ok = reportWith("ok", {});
    EXPECT_TRUE(ok.warning.empty());
    EXPECT_TRUE(ok.warningReasons.empty());
    EXPECT_EQ(provenanceValue(ok, "Quality control"), "ok (mean network confidence 0.79)");
}

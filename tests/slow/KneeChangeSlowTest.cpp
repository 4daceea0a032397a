// Issue 19 through the real knee pipeline (network on CPU): strata-cli change given two scans of one phantom knee in
// two positions analyses both first, aligns the bones and reports near-zero change (the network's test-retest); a
// rerun reuses the two analyses.
#include "TestSupport.h"
#include "strata/ImageIO.h"
#include "strata/JsonLimits.h"
#include "strata/phantom/KneePhantom.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

using namespace strata;
namespace fs = std::filesystem;

TEST(KneeChangeSlow, TwoScansOfOneKneeAnalysedFirstShowNearZeroChange)
{
    test::TempDir dir;
    for (const auto& [name, rotation, translation] : {std::tuple{"base", 8.0, 5.0}, std::tuple{"followup", 3.0, 2.0}}) {
        phantom::KneePhantomParams p;
        p.seed = 7;
        p.size = {112, 112, 72};
        p.spacing = {0.9, 0.9, 1.5};
        p.maxRotationDeg = rotation;
        p.maxTranslationMm = translation;
        fs::create_directories(dir / name);
        writeImage(phantom::generateKneePhantom(p).image, dir / name / "image.nii.gz");
    }
    const std::string cmd = std::string(STRATA_CLI_PATH) + " change " + (dir / "base/image.nii.gz").string() + " " +
                            (dir / "followup/image.nii.gz").string() + " --out " + (dir / "change").string() +
                            " -p meshes=false --device cpu -q";
    auto [code, out] = test::run(cmd);
    ASSERT_EQ(code, 0) << out;
    EXPECT_TRUE(fs::exists(dir / "change" / "baseline_result" / "segmentation.nii.gz"));
    EXPECT_TRUE(fs::exists(dir / "change" / "followup_result" / "segmentation.nii.gz"));
    const auto doc = readJsonFile(dir / "change" / "change.json");
    for (const auto& a : doc["registration"]) {
        std::printf("%s residual %.3f mm\n", a["bone"].get<std::string>().c_str(), a["residual_mm"].get<double>());
        EXPECT_LT(a["residual_mm"].get<double>(), 0.6);
    }
    for (const auto& r : doc["rows"]) {
        if (!r["region"].get<std::string>().empty()) continue;
        std::printf("%s change %+.3f mm\n", r["structure"].get<std::string>().c_str(), r["change_mm"].get<double>());
        EXPECT_LT(std::abs(r["change_mm"].get<double>()), 0.2) << r.dump();
    }
    // A second run reuses both analyses (no network pass: seconds, and it says so).
    std::tie(code, out) = test::run(cmd.substr(0, cmd.size() - 3));
    ASSERT_EQ(code, 0) << out;
    EXPECT_NE(out.find("Using the baseline result analysed earlier"), std::string::npos) << out;
}

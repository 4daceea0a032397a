// The report says what the fluid boundary refinement did: voxels given back and taken, or why nothing was taken,
// and its Methods paragraph names only the steps that ran (and the thickness sub-voxels when there were some).
#include "strata/results/ReportData.h"

#include <gtest/gtest.h>

#include <string>

using namespace strata::results;

namespace {

ResultBundle kneeBundle(const nlohmann::json& fluidNote)
{
    ResultBundle b;
    b.dir = "/tmp/bundle";
    b.metrics = nlohmann::json::object();
    b.provenance = {{"pipeline", "knee-mri"}, {"notes", {{"fluid_refine", fluidNote}}}};
    return b;
}

std::string provenanceValue(const ReportData& r, const std::string& key)
{
    for (const auto& [k, v] : r.provenance)
        if (k == key) return v;
    return "(missing)";
}

} // namespace

TEST(ReportDataFluidNote, SaysWhatWasGivenBackAndTaken)
{
    const auto r = ReportData::fromBundle(kneeBundle({{"applied", true}, {"grown", true}, {"voxels_removed", 160},
                                                      {"voxels_added", 1385}, {"fluid_to_cartilage_ratio", 1.52},
                                                      {"threshold", 1.26}}));
    EXPECT_EQ(provenanceValue(r, "Fluid boundary"),
              "160 cartilage voxels given back to the joint fluid, 1385 taken from it (fluid / cartilage intensity 1.52, "
              "threshold 1.26)");
    EXPECT_NE(r.methods.find("returned to the background, and background voxels between cartilage and fluid"), std::string::npos);
}

TEST(ReportDataFluidNote, SaysWhyNothingWasTaken)
{
    const auto r = ReportData::fromBundle(kneeBundle({{"applied", true}, {"grown", false}, {"voxels_removed", 12},
                                                      {"voxels_added", 0}, {"fluid_to_cartilage_ratio", 1.19},
                                                      {"threshold", 1.14}}));
    EXPECT_NE(provenanceValue(r, "Fluid boundary").find("none taken from it (fluid and cartilage too alike"), std::string::npos);
    EXPECT_NE(r.methods.find("returned to the background (fluid boundary refinement)."), std::string::npos);
    EXPECT_EQ(r.methods.find("joined the plate"), std::string::npos);
}

TEST(ReportDataFluidNote, NotAppliedGivesTheReasonAndNoMethodsSentence)
{
    const auto r = ReportData::fromBundle(kneeBundle({{"applied", false}, {"skipped_reason", "no bright fluid next to the cartilage"}}));
    EXPECT_EQ(provenanceValue(r, "Fluid boundary"), "not applied: no bright fluid next to the cartilage");
    EXPECT_EQ(r.methods.find("fluid boundary refinement"), std::string::npos);
    EXPECT_NE(r.methods.find("3D U-Net"), std::string::npos);
    EXPECT_NE(r.methods.find("sub-voxel ridge estimate) per voxel"), std::string::npos); // no supersampling recorded
}

TEST(ReportDataFluidNote, MethodsNameTheThicknessSubvoxels)
{
    ResultBundle b = kneeBundle({{"applied", false}, {"skipped_reason", "too little cartilage"}});
    b.provenance["parameters"] = {{"thickness_subvoxel_mm", 0.25}};
    const auto r = ReportData::fromBundle(b);
    EXPECT_NE(r.methods.find("ridge estimate, on the cartilage resampled to sub-voxels of at most 0.25 mm) per voxel"),
              std::string::npos)
        << r.methods;
}

TEST(ReportDataKneeFrame, SaysSideOrientationAndSliceThickness)
{
    ResultBundle b;
    b.dir = "/tmp/bundle";
    b.metrics = nlohmann::json::object();
    b.provenance = {{"pipeline", "knee-mri"},
                    {"notes",
                     {{"side", {{"side", "left"}, {"source", "dicom"}, {"model_side", "right"}, {"mirrored", true}}},
                      {"orientation", {{"input_axes", "LPS"}, {"canonical_axes", "PIR"}, {"method", "permutation"}}},
                      {"slice_thickness", {{"note", "Slices are 3.00 mm thick (left-right direction): cartilage thickness "
                                                    "along that direction is limited by the slice thickness."}}}}}};
    const auto r = ReportData::fromBundle(b);
    EXPECT_EQ(provenanceValue(r, "Knee side"), "left (DICOM laterality); mirrored into the model's right-knee frame and back");
    EXPECT_EQ(provenanceValue(r, "Orientation"), "LPS -> PIR by axis permutation (no interpolation)");
    EXPECT_NE(provenanceValue(r, "Slice thickness").find("limited by the slice thickness"), std::string::npos);
    EXPECT_NE(r.methods.find("mirrored left-right because it is a left knee"), std::string::npos) << r.methods;
    EXPECT_NE(r.methods.find("limited by the slice thickness"), std::string::npos);
}

TEST(ReportDataKneeFrame, SaysWhenTheTibialPlatesDecidedTheSide)
{
    ResultBundle b;
    b.dir = "/tmp/bundle";
    b.metrics = nlohmann::json::object();
    b.provenance = {{"pipeline", "knee-mri"},
                    {"notes",
                     {{"side", {{"side", "left"}, {"source", "anatomy"}, {"model_side", "right"}, {"mirrored", true}}},
                      {"orientation", {{"input_axes", "LPS"}, {"canonical_axes", "PIR"}, {"method", "permutation"}}}}}};
    const auto r = ReportData::fromBundle(b);
    EXPECT_EQ(provenanceValue(r, "Knee side"),
              "left (from the tibial plates: the input does not say); mirrored into the model's right-knee frame and back");
    EXPECT_NE(r.methods.find("the network's tibial plates did: the medial plateau is the larger one"), std::string::npos)
        << r.methods;
    EXPECT_EQ(r.subtitle, "bundle - left knee (from the tibial plates)"); // the results panel's heading
}

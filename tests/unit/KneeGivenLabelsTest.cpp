// Issue 18, part 1: the knee pipeline measures a segmentation given with the scan (input "labels"): no network,
// label maps (strata, oai-zib with the tibial cartilage split by anatomy, a JSON mapping file), grid and id checks,
// the CLI's --labels and a cohort with a labels column.
#include "PipelineRun.h"
#include "TestSupport.h"
#include "strata/ImageIO.h"
#include "strata/StandardPipelines.h"
#include "strata/cohort/CohortManifest.h"
#include "strata/cohort/CohortRunner.h"
#include "strata/phantom/KneeLabels.h"
#include "strata/phantom/KneePhantom.h"
#include "strata/pipeline/LocalExecutor.h"
#include "strata/results/ReportData.h"
#include "strata/results/ResultBundle.h"

#include <gtest/gtest.h>

#include <fstream>

using namespace strata;
using namespace strata::pipeline;
using nlohmann::json;

namespace {

/// A whole knee at coarse voxels (fast); `spacing` finer for the accuracy check.
phantom::KneePhantomCase phantomCase(std::uint64_t seed, bool right, Size3 size = {128, 128, 80},
                                     Vec3 spacing = {0.8, 0.8, 1.4})
{
    phantom::KneePhantomParams p;
    p.seed = seed;
    p.size = size;
    p.spacing = spacing;
    p.rightKnee = right;
    return phantom::generateKneePhantom(p);
}

RunResult runWithLabels(const std::filesystem::path& image, const std::filesystem::path& labels,
                        const std::filesystem::path& out, json params = json::object(),
                        const std::filesystem::path& mapping = {})
{
    RunRequest r;
    r.pipeline = "knee-mri";
    r.inputs["image"] = image;
    if (!labels.empty()) r.inputs["labels"] = labels;
    if (!mapping.empty()) r.inputs["label_mapping"] = mapping;
    r.outputDir = out;
    r.device = "cpu";
    r.parameters = std::move(params);
    NullProgressSink sink;
    return LocalExecutor(standardPipelines()).run(r, sink, {});
}

json readJson(const std::filesystem::path& p)
{
    return json::parse(std::ifstream(p));
}

/// The phantom's truth in OAI-ZIB ids: 1 femur, 2 femoral cartilage, 3 tibia, 4 tibial cartilage (both plates).
Image toOaiZib(const LabelMap& truth)
{
    Image out = truth.image();
    for (auto& v : out.pixels<std::uint8_t>()) {
        switch (v) {
        case phantom::Femur: v = 1; break;
        case phantom::FemoralCartilage: v = 2; break;
        case phantom::Tibia: v = 3; break;
        case phantom::MedialTibialCartilage:
        case phantom::LateralTibialCartilage: v = 4; break;
        default: v = 0;
        }
    }
    return out;
}

/// Phantom 41 (right) or 42 (left) written into `dir`: image.nii.gz, truth.nii.gz (Strata's ids), oai.nii.gz
/// (OAI-ZIB's, one tibial cartilage).
phantom::KneePhantomCase writeOaiCase(const std::filesystem::path& dir, bool right)
{
    auto c = phantomCase(right ? 41 : 42, right);
    writeImage(c.image, dir / "image.nii.gz");
    writeImage(c.labels.image(), dir / "truth.nii.gz");
    writeImage(toOaiZib(c.labels), dir / "oai.nii.gz");
    return c;
}

} // namespace

TEST(KneeGivenLabels, ManifestHasOptionalLabelInputsAndLabelMap)
{
    const auto& m = standardPipelines().get("knee-mri").manifest();
    ASSERT_EQ(m.inputs.size(), 3u);
    EXPECT_EQ(m.inputs[0].name, "image");
    EXPECT_FALSE(m.inputs[0].optional);
    EXPECT_EQ(m.inputs[1].name, "labels");
    EXPECT_TRUE(m.inputs[1].optional);
    EXPECT_EQ(m.inputs[2].name, "label_mapping");
    EXPECT_TRUE(m.inputs[2].optional);
    const json p = m.resolveParameters(json::object());
    EXPECT_EQ(p["label_map"], "strata");
    EXPECT_EQ(p["clean_given_labels"], false);
}

// The phantom's exact labels: volumes are voxel counts x voxel volume, thickness near the truth, no network.
TEST(KneeGivenLabels, TruthLabelsAreMeasuredExactlyWithoutTheNetwork)
{
    test::TempDir dir;
    // 0.5 x 0.5 x 0.7 mm over the whole knee: fine enough for the 0.1 mm criterion on the plate means.
    const auto c = phantomCase(31, true, {204, 204, 146}, {0.5, 0.5, 0.7});
    writeImage(c.image, dir / "image.nii.gz");
    writeImage(c.labels.image(), dir / "truth.nii.gz");
    const auto r = runWithLabels(dir / "image.nii.gz", dir / "truth.nii.gz", dir / "out", {{"meshes", false}});
    ASSERT_EQ(r.status, RunStatus::Succeeded) << r.message;

    const json metrics = readJson(dir / "out/metrics.json");
    const double voxel = readImage(dir / "image.nii.gz").voxelVolume(); // NIfTI keeps the spacing in float32
    const auto counts = c.labels.voxelCounts();
    const LabelTable table = phantom::kneeLabelTable();
    for (const auto& info : table.labels()) {
        if (info.id < 1 || info.id > phantom::LateralMeniscus) continue;
        ASSERT_TRUE(metrics["volumes_mm3"].contains(info.name)) << info.name;
        EXPECT_DOUBLE_EQ(metrics["volumes_mm3"][info.name].get<double>(), static_cast<double>(counts.at(info.id)) * voxel)
            << info.name;
    }
    EXPECT_FALSE(metrics["volumes_mm3"].contains("joint_fluid")); // ids 10-12 are accepted, not measured
    for (const auto& [plate, truth] : c.groundTruth["thickness_mm"].items()) {
        const double measured = metrics["thickness_mm"][plate]["area_weighted_mean"].get<double>();
        std::printf("%-26s truth %.3f  given labels %.3f\n", plate.c_str(), truth["mean"].get<double>(), measured);
        EXPECT_NEAR(measured, truth["mean"].get<double>(), 0.1) << plate;
    }
    EXPECT_EQ(metrics["subregions"].size(), 24u); // 11 femoral, 6 + 6 tibial, the patella
    EXPECT_EQ(metrics["quality"]["source"], "given labels");
    EXPECT_TRUE(metrics["quality"]["foreground_confidence"].is_null());
    EXPECT_EQ(metrics["quality"]["verdict"], "ok") << metrics["quality"].dump(1);
    EXPECT_EQ(metrics["labels"]["file"], "truth.nii.gz");
    EXPECT_EQ(metrics["labels"]["label_map"], "strata");

    const json prov = readJson(dir / "out/provenance.json");
    ASSERT_EQ(prov["inputs"].size(), 2u);
    EXPECT_EQ(prov["inputs"][1]["name"], "labels");
    EXPECT_EQ(prov["inputs"][1]["sha256"], metrics["labels"]["sha256"]);
    EXPECT_FALSE(prov["notes"].contains("model")); // the network was not loaded
    EXPECT_FALSE(prov["notes"].contains("device"));
    EXPECT_EQ(prov["notes"]["fluid_refine"]["applied"], false);
    EXPECT_FALSE(prov["notes"].contains("cleanup")); // off for given labels by default

    // The written segmentation is the truth (ids 10-12 set to background).
    const Image seg = readImage(dir / "out/segmentation.nii.gz");
    const auto a = seg.pixels<std::uint8_t>();
    const auto b = c.labels.ids();
    std::size_t differ = 0;
    for (std::size_t i = 0; i < a.size(); ++i) differ += a[i] != (b[i] <= phantom::LateralMeniscus ? b[i] : 0);
    EXPECT_EQ(differ, 0u);
}

// OAI-ZIB ids: the tibial cartilage is split into medial and lateral by anatomy, for a right knee and a mirrored
// left one (side given); the plate figures match those of Strata's ids.
TEST(KneeGivenLabels, OaiZibLabelsSplitTheTibialCartilageByTheKneesSide)
{
    for (const bool right : {true, false}) {
        SCOPED_TRACE(right ? "right knee" : "left knee");
        test::TempDir dir;
        const auto c = writeOaiCase(dir.path(), right);
        const json params{{"meshes", false}, {"side", right ? "right" : "left"}, {"thickness_subvoxel_mm", 0.0}};
        auto r = runWithLabels(dir / "image.nii.gz", dir / "truth.nii.gz", dir / "strata", params);
        ASSERT_EQ(r.status, RunStatus::Succeeded) << r.message;
        json oaiParams = params;
        oaiParams["label_map"] = "oai-zib";
        r = runWithLabels(dir / "image.nii.gz", dir / "oai.nii.gz", dir / "oai", oaiParams);
        ASSERT_EQ(r.status, RunStatus::Succeeded) << r.message;

        // The split against the truth, voxel by voxel.
        const auto seg = readImage(dir / "oai/segmentation.nii.gz");
        const auto a = seg.pixels<std::uint8_t>();
        const auto t = c.labels.ids();
        std::size_t plates = 0, wrong = 0;
        for (std::size_t i = 0; i < a.size(); ++i) {
            if (t[i] == phantom::MedialTibialCartilage || t[i] == phantom::LateralTibialCartilage) {
                ++plates;
                wrong += a[i] != t[i];
            }
        }
        std::printf("%s knee: %zu of %zu tibial cartilage voxels on the wrong plate\n", right ? "right" : "left", wrong,
                    plates);
        ASSERT_GT(plates, 1000u);
        EXPECT_LT(static_cast<double>(wrong), 0.005 * static_cast<double>(plates));

        const json s = readJson(dir / "strata/metrics.json");
        const json o = readJson(dir / "oai/metrics.json");
        for (const char* plate : {"femoral_cartilage", "medial_tibial_cartilage", "lateral_tibial_cartilage"}) {
            const double sm = s["thickness_mm"][plate]["mean"].get<double>(), om = o["thickness_mm"][plate]["mean"].get<double>();
            const double sv = s["volumes_mm3"][plate].get<double>(), ov = o["volumes_mm3"][plate].get<double>();
            std::printf("  %-26s mean %.4f vs %.4f mm, volume %.1f vs %.1f mm3\n", plate, sm, om, sv, ov);
            EXPECT_NEAR(om, sm, 0.02) << plate;
            EXPECT_NEAR(ov, sv, 0.005 * sv) << plate;
        }
        for (const auto& [region, stats] : s["subregions"].items()) {
            if (stats["plate"] == "patellar_cartilage") continue; // OAI-ZIB has no patella
            EXPECT_NEAR(o["subregions"][region]["mean"].get<double>(), stats["mean"].get<double>(), 0.05) << region;
        }
        EXPECT_FALSE(o["volumes_mm3"].contains("patella")); // OAI-ZIB has no patella: not measured, not missed
        EXPECT_EQ(o["quality"]["verdict"], "ok") << o["quality"].dump(1);
        EXPECT_EQ(o["labels"]["tibial_cartilage_split"]["side"], right ? "right" : "left");
        EXPECT_EQ(o["labels"]["tibial_cartilage_split"]["side_source"], "parameter");

        if (right) { // the same through a JSON mapping file
            test::writeText(dir / "map.json",
                            R"({"1": "femur", "2": "femoral_cartilage", "3": "tibia", "4": "tibial_cartilage"})");
            json fileParams = params;
            fileParams["label_map"] = "file";
            r = runWithLabels(dir / "image.nii.gz", dir / "oai.nii.gz", dir / "file", fileParams, dir / "map.json");
            ASSERT_EQ(r.status, RunStatus::Succeeded) << r.message;
            const Image viaFileImage = readImage(dir / "file/segmentation.nii.gz");
            const auto viaFile = viaFileImage.pixels<std::uint8_t>();
            EXPECT_TRUE(std::equal(viaFile.begin(), viaFile.end(), a.begin()));
            EXPECT_EQ(r.provenance["inputs"].size(), 3u);
            EXPECT_EQ(readJson(dir / "file/metrics.json")["labels"]["mapping_file"]["file"], "map.json");
        }
    }
}

// side=auto on a NIfTI (nothing says which knee): given labels with medial and lateral plates of their own tell,
// exactly (where the medial plate lies); a combined tibial cartilage (OAI-ZIB) does not, and the result says the
// side was assumed.
TEST(KneeGivenLabels, SideAutoTakesTheSideFromGivenPlates)
{
    for (const bool right : {true, false}) {
        SCOPED_TRACE(right ? "right knee" : "left knee");
        test::TempDir dir;
        (void)writeOaiCase(dir.path(), right);
        const json params{{"meshes", false}, {"thickness_subvoxel_mm", 0.0}};
        auto r = runWithLabels(dir / "image.nii.gz", dir / "truth.nii.gz", dir / "strata", params);
        ASSERT_EQ(r.status, RunStatus::Succeeded) << r.message;
        const json s = readJson(dir / "strata/metrics.json");
        EXPECT_EQ(s["side"], right ? "right" : "left");
        EXPECT_EQ(s["side_source"], "labels");
        EXPECT_NE(s["notes"].dump().find("the given labels do"), std::string::npos) << s["notes"].dump();

        json oaiParams = params;
        oaiParams["label_map"] = "oai-zib";
        r = runWithLabels(dir / "image.nii.gz", dir / "oai.nii.gz", dir / "oai", oaiParams);
        ASSERT_EQ(r.status, RunStatus::Succeeded) << r.message;
        const json o = readJson(dir / "oai/metrics.json");
        EXPECT_EQ(o["side"], "right");
        EXPECT_EQ(o["side_source"], "assumed");
        EXPECT_NE(o["notes"].dump().find("assumed to be a right knee"), std::string::npos) << o["notes"].dump();
    }
}

TEST(KneeGivenLabels, GeometryMismatchIsOneLineNamingBoth)
{
    test::TempDir dir;
    const auto c = phantomCase(51, true, {64, 64, 40}, {0.8, 0.8, 1.4});
    writeImage(c.image, dir / "scan.nii.gz");
    Image shorter({64, 64, 32}, PixelType::UInt8);
    shorter.copyGeometryFrom(c.image);
    writeImage(shorter, dir / "short.nii.gz");
    auto r = runWithLabels(dir / "scan.nii.gz", dir / "short.nii.gz", dir / "out");
    EXPECT_EQ(r.status, RunStatus::Failed);
    EXPECT_NE(r.message.find("'short.nii.gz' are not on the grid of the scan 'scan.nii.gz': size 64 x 64 x 32 vs 64 x 64 x 40"),
              std::string::npos) << r.message;
    EXPECT_EQ(r.message.find('\n'), std::string::npos);

    Image shifted = c.labels.image();
    shifted.setOrigin({c.image.origin()[0] + 1.0, c.image.origin()[1], c.image.origin()[2]});
    writeImage(shifted, dir / "shifted.nii.gz");
    r = runWithLabels(dir / "scan.nii.gz", dir / "shifted.nii.gz", dir / "out");
    EXPECT_EQ(r.status, RunStatus::Failed);
    EXPECT_NE(r.message.find("origin"), std::string::npos) << r.message;
    EXPECT_NE(r.message.find("'shifted.nii.gz'"), std::string::npos) << r.message;
    EXPECT_EQ(r.message.find('\n'), std::string::npos);

    Image finer = c.labels.image();
    finer.setSpacing({0.8, 0.8, 1.2});
    writeImage(finer, dir / "finer.nii.gz");
    r = runWithLabels(dir / "scan.nii.gz", dir / "finer.nii.gz", dir / "out");
    EXPECT_NE(r.message.find("spacing 0.8 x 0.8 x 1.2 mm vs 0.8 x 0.8 x 1.4 mm"), std::string::npos) << r.message;
    EXPECT_FALSE(std::filesystem::exists(dir / "out"));
}

TEST(KneeGivenLabels, UnknownIdsAndBadMappingsAreRefused)
{
    test::TempDir dir;
    const auto c = phantomCase(52, true, {64, 64, 40}, {0.8, 0.8, 1.4});
    writeImage(c.image, dir / "scan.nii.gz");
    Image labels = c.labels.image();
    labels.pixels<std::uint8_t>()[0] = 13;
    labels.pixels<std::uint8_t>()[1] = 13;
    writeImage(labels, dir / "odd.nii.gz");
    auto r = runWithLabels(dir / "scan.nii.gz", dir / "odd.nii.gz", dir / "out");
    EXPECT_EQ(r.status, RunStatus::Failed);
    EXPECT_NE(r.message.find("hold ids the label map 'strata' does not define: 13 (2 voxels)"), std::string::npos)
        << r.message;
    EXPECT_EQ(r.message.find('\n'), std::string::npos);
    // The phantom's truth read as OAI-ZIB: ids 5-12 are unknown there.
    writeImage(c.labels.image(), dir / "truth.nii.gz");
    r = runWithLabels(dir / "scan.nii.gz", dir / "truth.nii.gz", dir / "out", {{"label_map", "oai-zib"}});
    EXPECT_NE(r.message.find("does not define: 5 ("), std::string::npos) << r.message;

    test::writeText(dir / "bad.json", R"({"1": "femur", "2": "shin"})");
    r = runWithLabels(dir / "scan.nii.gz", dir / "truth.nii.gz", dir / "out", {{"label_map", "file"}}, dir / "bad.json");
    EXPECT_NE(r.message.find("maps id 2 to 'shin'"), std::string::npos) << r.message;
    // Found by fuzz/fuzz_given_labels: "2" and "02" are one id; the later entry silently replaced the earlier.
    test::writeText(dir / "twice.json", R"({"1": "femur", "02": "tibia", "2": "tibial_cartilage"})");
    r = runWithLabels(dir / "scan.nii.gz", dir / "truth.nii.gz", dir / "out", {{"label_map", "file"}}, dir / "twice.json");
    EXPECT_NE(r.message.find("gives id 2 twice"), std::string::npos) << r.message;
    r = runWithLabels(dir / "scan.nii.gz", dir / "truth.nii.gz", dir / "out", {{"label_map", "file"}});
    EXPECT_NE(r.message.find("label_map=file needs the label mapping file"), std::string::npos) << r.message;
    r = runWithLabels(dir / "scan.nii.gz", dir / "truth.nii.gz", dir / "out", json::object(), dir / "bad.json");
    EXPECT_NE(r.message.find("set label_map=file"), std::string::npos) << r.message;
    // A label map asked for without a segmentation to read is a mistake, not something to ignore.
    const auto noLabels = test::runPipeline("knee-mri", "image", dir / "scan.nii.gz", dir / "out", {{"label_map", "oai-zib"}});
    EXPECT_EQ(noLabels.status, RunStatus::Failed);
    EXPECT_NE(noLabels.message.find("label_map=oai-zib reads a given segmentation, but none was given"), std::string::npos)
        << noLabels.message;
    EXPECT_FALSE(std::filesystem::exists(dir / "out"));
}

TEST(KneeGivenLabels, CliRunTakesLabelsAndRefusesThemWhereNoPipelineTakesThem)
{
    test::TempDir dir;
    const auto c = phantomCase(53, true);
    writeImage(c.image, dir / "scan.nii.gz");
    writeImage(toOaiZib(c.labels), dir / "oai.nii.gz");
    const std::string cli = STRATA_CLI_PATH;
    auto [code, out] = test::run(cli + " run knee '" + (dir / "scan.nii.gz").string() + "' --labels '" +
                                 (dir / "oai.nii.gz").string() + "' --label-map oai-zib -p meshes=false -q --out '" +
                                 (dir / "out").string() + "'");
    ASSERT_EQ(code, 0) << out;
    EXPECT_NE(out.find("Quality: ok"), std::string::npos) << out;
    const json metrics = readJson(dir / "out/metrics.json");
    EXPECT_EQ(metrics["labels"]["label_map"], "oai-zib");
    EXPECT_GT(metrics["volumes_mm3"]["medial_tibial_cartilage"].get<double>(), 0.0);

    std::tie(code, out) = test::run(cli + " run ocr '" + (dir / "scan.nii.gz").string() + "' --labels '" +
                                    (dir / "oai.nii.gz").string() + "' --out '" + (dir / "ocr").string() + "'");
    EXPECT_NE(code, 0);
    EXPECT_NE(out.find("cannot measure a given segmentation"), std::string::npos) << out;
}

TEST(KneeGivenLabels, CohortWithALabelsColumnMeasuresThem)
{
    test::TempDir dir;
    const auto c = phantomCase(54, true, {112, 112, 72}, {0.9, 0.9, 1.55});
    writeImage(c.image, dir / "scan.nii.gz");
    writeImage(c.labels.image(), dir / "seg.nii.gz");
    test::writeText(dir / "m.csv", "subject,timepoint,image,labels\ns1,t0,scan.nii.gz,seg.nii.gz\n");
    LocalExecutor executor(standardPipelines());
    cohort::CohortOptions options;
    options.parameters = {{"meshes", false}, {"thickness_subvoxel_mm", 0.0}};
    options.device = "cpu";
    options.outDir = dir / "study";
    NullProgressSink sink;
    const auto summary = cohort::CohortRunner(executor, options).run(cohort::CohortManifest::read(dir / "m.csv"), sink, {});
    ASSERT_EQ(summary.succeeded, 1u) << (summary.outcomes.empty() ? "" : summary.outcomes[0].message);
    std::ifstream table(dir / "study/cohort.csv");
    const std::string text((std::istreambuf_iterator<char>(table)), std::istreambuf_iterator<char>());
    EXPECT_NE(text.find("s1,t0,femoral_cartilage,,volume,"), std::string::npos) << text;
    EXPECT_EQ(readJson(dir / "study/s1/t0/metrics.json")["labels"]["file"], "seg.nii.gz");
}

TEST(KneeGivenLabels, ReportMethodsSayTheLabelsWereGiven)
{
    results::ResultBundle b;
    b.dir = "/tmp/bundle";
    b.metrics = {{"quality", {{"verdict", "ok"}, {"reasons", json::array()}, {"foreground_confidence", nullptr},
                              {"source", "given labels"}}}};
    b.provenance = {{"pipeline", "knee-mri"},
                    {"parameters", {{"clean_given_labels", false}}},
                    {"notes",
                     {{"labels",
                       {{"source", "given"}, {"file", "seg.nii.gz"}, {"sha256", std::string(64, 'a')}, {"label_map", "oai-zib"},
                        {"tibial_cartilage_split", {{"side", "left"}}}}}}}};
    const auto r = results::ReportData::fromBundle(b);
    EXPECT_NE(r.methods.find("given with the scan (seg.nii.gz, sha256 aaaaaaaaaaaa"), std::string::npos) << r.methods;
    EXPECT_NE(r.methods.find("label map oai-zib"), std::string::npos);
    EXPECT_NE(r.methods.find("body midline of a left knee"), std::string::npos);
    EXPECT_EQ(r.methods.find("3D U-Net"), std::string::npos);
    EXPECT_NE(r.methods.find("no network confidence"), std::string::npos);
}

// Labels corrected in Strata's label editor (issue 20) come with <file>.edits.json: the run records it in
// provenance and the report's methods say the segmentation was corrected by hand; a damaged record does not stop it.
TEST(KneeGivenLabels, EditedLabelsCarryTheirEditRecordIntoProvenanceAndReport)
{
    test::TempDir dir;
    const auto c = phantomCase(33, true);
    writeImage(c.image, dir / "image.nii.gz");
    writeImage(c.labels.image(), dir / "edited.nii.gz");
    test::writeText(dir / "edited.nii.gz.edits.json",
                    R"({"edited": true, "edits": 3, "voxels_changed": {"femoral_cartilage": 120, "background": -120},
                        "editing_seconds": 42.0})");
    auto r = runWithLabels(dir / "image.nii.gz", dir / "edited.nii.gz", dir / "out", {{"meshes", false}});
    ASSERT_EQ(r.status, RunStatus::Succeeded) << r.message;
    const auto bundle = results::ResultBundle::load(dir / "out", {}, false);
    const json edits = bundle.provenance["notes"]["labels"]["edits"];
    EXPECT_EQ(edits["edits"], 3) << bundle.provenance["notes"]["labels"].dump(1);
    EXPECT_EQ(edits["voxels_changed"]["femoral_cartilage"], 120);
    const auto report = results::ReportData::fromBundle(bundle);
    EXPECT_NE(report.methods.find("corrected by hand in Strata's label editor (3 edits over 42 s; voxels changed: "
                                  "background -120, femoral_cartilage +120)"),
              std::string::npos)
        << report.methods;

    test::writeText(dir / "edited.nii.gz.edits.json", "{\"edited\": tru");
    r = runWithLabels(dir / "image.nii.gz", dir / "edited.nii.gz", dir / "out2", {{"meshes", false}});
    ASSERT_EQ(r.status, RunStatus::Succeeded) << r.message;
    EXPECT_TRUE(results::ResultBundle::load(dir / "out2", {}, false).provenance["notes"]["labels"]["edits"].contains("note"));
}

// Issue 24: the Methods say how the network was applied: one pass when the knee fitted one tile, else tiles.
TEST(KneeGivenLabels, ReportMethodsSayOneTileOrSlidingWindow)
{
    results::ResultBundle b;
    b.dir = "/tmp/bundle";
    b.metrics = {{"quality", {{"verdict", "ok"}, {"reasons", json::array()}}}};
    b.provenance = {{"pipeline", "knee-mri"}, {"notes", {{"tiling", "1 tile of 256 x 256 x 160"}}}};
    auto r = results::ReportData::fromBundle(b);
    EXPECT_NE(r.methods.find("applied to the whole volume in one pass (1 tile of 256 x 256 x 160)"), std::string::npos) << r.methods;
    EXPECT_EQ(r.methods.find("sliding-window"), std::string::npos);
    b.provenance["notes"]["tiling"] = "8 tiles of 136 x 136 x 88";
    r = results::ReportData::fromBundle(b);
    EXPECT_NE(r.methods.find("overlapping sliding-window tiles (8 tiles of 136 x 136 x 88"), std::string::npos) << r.methods;
}

// Cartilage change between two timepoints of one knee (issue 19, first part): the same knee in another position
// reports near-zero change per plate (test-retest on phantoms), a plate thinned by one voxel layer reports its loss,
// wrong pairs get one clear error, strata-cli change writes the tables, a cohort with two timepoints per subject
// writes change.csv.
#include "LabelThinning.h"
#include "PipelineRun.h"
#include "TestSupport.h"
#include "strata/Error.h"
#include "strata/ImageIO.h"
#include "strata/JsonLimits.h"
#include "strata/StandardPipelines.h"
#include "strata/phantom/KneeLabels.h"
#include "strata/phantom/KneePhantom.h"
#include "strata/pipeline/LocalExecutor.h"
#include "strata/results/ReportData.h"
#include "strata/results/TimepointChange.h"
#include "strata/results/TimepointComparison.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace strata;
using namespace strata::pipeline;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

phantom::KneePhantomCase knee(double maxRotationDeg, double maxTranslationMm, std::uint64_t seed = 41)
{
    phantom::KneePhantomParams p;
    p.seed = seed;
    p.size = {128, 128, 80};
    p.spacing = {0.8, 0.8, 1.4};
    p.maxRotationDeg = maxRotationDeg; // the anatomy comes from the seed alone: the same knee, another position
    p.maxTranslationMm = maxTranslationMm;
    return phantom::generateKneePhantom(p);
}

json measure(const fs::path& dir, const phantom::KneePhantomCase& c, const LabelMap& labels)
{
    fs::create_directories(dir);
    writeImage(c.image, dir / "image.nii.gz");
    writeImage(labels.image(), dir / "labels.nii.gz");
    const auto result = test::runRequest(test::kneeOnGivenLabels(dir / "image.nii.gz", dir / "labels.nii.gz", dir / "out"));
    EXPECT_EQ(result.status, RunStatus::Succeeded) << result.message;
    return readJsonFile(dir / "out" / "metrics.json");
}

const results::ChangeRow& row(const std::vector<results::ChangeRow>& rows, const std::string& structure, const std::string& region)
{
    for (const auto& r : rows)
        if (r.structure == structure && r.region == region) return r;
    throw std::runtime_error("no row " + structure + " " + region);
}

} // namespace

TEST(TimepointChange, SameKneeMovedIsNearZeroAThinnedPlateLosesItsLayer)
{
    test::TempDir dir;
    const auto base = knee(8.0, 5.0), moved = knee(3.0, 2.0);
    const json a = measure(dir / "base", base, base.labels);
    const json b = measure(dir / "moved", moved, moved.labels);
    const auto rows = results::TimepointChange::compare(a, b);
    for (const char* plate : {"femoral_cartilage", "medial_tibial_cartilage", "lateral_tibial_cartilage", "patellar_cartilage"}) {
        const auto& r = row(rows, plate, "");
        std::printf("moved: %-26s %.3f -> %.3f mm (%+.3f), volume %+.1f %%\n", plate, r.baselineMm, r.followupMm, r.changeMm(),
                    r.volumeChangePercent());
        EXPECT_LT(std::abs(r.changeMm()), 0.15) << plate;
    }
    double worst = 0;
    for (const auto& r : rows)
        if (!r.region.empty() && r.baselineMm > 0) worst = std::max(worst, std::abs(r.changeMm()));
    std::printf("moved: largest region |change| %.3f mm\n", worst);

    LabelMap thinned = moved.labels;
    const std::size_t removed = test::thinTibialPlateTop(thinned, phantom::MedialTibialCartilage);
    ASSERT_GT(removed, 100u);
    const json c = measure(dir / "thinned", moved, thinned);
    const auto loss = results::TimepointChange::compare(a, c);
    const auto& mt = row(loss, "medial_tibial_cartilage", "");
    // Expected loss: the removed volume spread over the plate's subchondral bone area.
    const double voxel = readImage(dir / "thinned" / "image.nii.gz").voxelVolume();
    const double expected = -static_cast<double>(removed) * voxel / c["subregions"]["MT"]["tab_mm2"].get<double>();
    std::printf("thinned: medial tibial %.3f -> %.3f mm (%+.3f, expected about %+.3f), volume %+.1f %%, MT ThCtAB %+.3f\n",
                mt.baselineMm, mt.followupMm, mt.changeMm(), expected, mt.volumeChangePercent(),
                row(loss, "medial_tibial_cartilage", "MT").changeMm());
    EXPECT_NEAR(mt.changeMm(), expected, 0.2);
    EXPECT_NEAR(row(loss, "medial_tibial_cartilage", "MT").changeMm(), expected, 0.2);
    EXPECT_LT(mt.volumeChangeMm3(), 0.0);
    EXPECT_LT(std::abs(row(loss, "lateral_tibial_cartilage", "").changeMm()), 0.15);
    EXPECT_LT(std::abs(row(loss, "femoral_cartilage", "").changeMm()), 0.15);

    // Wrong pairs: one clear error each.
    json left = b;
    left["side"] = "left";
    json right = a;
    right["side"] = "right";
    EXPECT_THROW((void)results::TimepointChange::compare(right, left), InvalidArgument);
    EXPECT_THROW((void)results::TimepointChange::compare(json{{"withheld", "no knee"}}, b), InvalidArgument);
    EXPECT_THROW((void)results::TimepointChange::compare(json::object(), b), InvalidArgument);

    // Per-bone registration and the change map: the moved knee aligns within a fraction of a voxel and maps no
    // change; the thinned plate maps its lost layer; a different knee does not align.
    const auto same = results::TimepointComparison::run(dir / "base/out", dir / "moved/out");
    for (const auto& al : same.alignments) {
        std::printf("moved: %-7s moved %.2f mm, rotated %.2f deg, residual %.3f mm (p95 %.3f), %d iterations\n", al.bone.c_str(),
                    al.movedMm, al.baselineToFollowup.angleDegrees(), al.residualMm, al.residualP95Mm, al.iterations);
        EXPECT_LT(al.residualMm, 0.5) << al.bone;
    }
    EXPECT_EQ(same.alignments.size(), 3u);
    const auto again = results::TimepointComparison::run(dir / "base/out", dir / "moved/out"); // deterministic
    for (std::size_t i = 0; i < same.alignments.size(); ++i) {
        EXPECT_EQ(again.alignments[i].baselineToFollowup.rotation, same.alignments[i].baselineToFollowup.rotation);
        EXPECT_EQ(again.alignments[i].baselineToFollowup.translation, same.alignments[i].baselineToFollowup.translation);
    }
    EXPECT_TRUE(same.aligned()) << same.misalignment();
    for (const auto& p : same.map.plates) {
        std::printf("moved: map %-26s mean %+.3f mm, lost %.3f\n", p.name.c_str(), p.meanChangeMm, p.lostFraction);
        EXPECT_LT(std::abs(p.meanChangeMm), 0.15) << p.name;
        EXPECT_LT(p.lostFraction, 0.02) << p.name;
    }
    const auto lossMap = results::TimepointComparison::run(dir / "base/out", dir / "thinned/out");
    for (const auto& p : lossMap.map.plates) {
        std::printf("thinned: map %-26s mean %+.3f mm, lost %.3f\n", p.name.c_str(), p.meanChangeMm, p.lostFraction);
        if (p.name == "medial_tibial_cartilage") {
            EXPECT_NEAR(p.meanChangeMm, expected, 0.25);
        } else {
            EXPECT_LT(std::abs(p.meanChangeMm), 0.15) << p.name;
        }
    }
    EXPECT_TRUE(lossMap.map.map.sameGeometry(base.image));
    const auto other = knee(3.0, 2.0, 4242);
    measure(dir / "other", other, other.labels);
    const auto different = results::TimepointComparison::run(dir / "base/out", dir / "other/out");
    for (const auto& al : different.alignments)
        std::printf("other knee: %-7s residual %.3f mm (p95 %.3f)\n", al.bone.c_str(), al.residualMm, al.residualP95Mm);
    EXPECT_FALSE(different.aligned());
    EXPECT_NE(different.misalignment().find("same knee"), std::string::npos) << different.misalignment();
    fs::remove(dir / "moved/out/segmentation.nii.gz");
    try {
        (void)results::TimepointComparison::run(dir / "base/out", dir / "moved/out");
        ADD_FAILURE() << "a bundle without segmentation was compared";
    } catch (const InvalidArgument& e) {
        EXPECT_NE(std::string(e.what()).find("has no segmentation"), std::string::npos) << e.what();
    }

    // strata-cli change on the two bundles.
    const std::string cli = STRATA_CLI_PATH;
    auto [code, out] = test::run(cli + " change " + (dir / "base/out").string() + " " + (dir / "thinned/out").string() +
                                 " --out " + (dir / "change").string());
    EXPECT_EQ(code, 0) << out;
    const std::string csv = test::readText(dir / "change" / "change.csv");
    EXPECT_EQ(csv.rfind(results::TimepointChange::kHeader, 0), 0u);
    EXPECT_NE(csv.find("medial_tibial_cartilage,cMT,"), std::string::npos);
    const json changeJson = readJsonFile(dir / "change" / "change.json");
    EXPECT_EQ(changeJson["rows"].size(), rows.size());
    EXPECT_EQ(changeJson["registration"].size(), 3u);
    EXPECT_TRUE(changeJson["aligned"].get<bool>());
    EXPECT_EQ(readImage(dir / "change" / "change_map.nii.gz").size(), base.image.size());
    EXPECT_TRUE(fs::exists(dir / "change" / "maps" / "medial_tibial_cartilage_change.png"));
    const auto section = results::ChangeSection::fromFolder(dir / "change");
    ASSERT_EQ(section.tables.size(), 3u); // plates, regions, bone alignment
    EXPECT_EQ(section.tables[0].rows.size(), 4u);
    EXPECT_EQ(section.tables[2].rows.size(), 3u);
    EXPECT_EQ(section.maps.size(), 4u);
    EXPECT_THROW((void)results::ChangeSection::fromFolder(dir / "base"), InvalidArgument);
    std::tie(code, out) = test::run(cli + " report " + (dir / "thinned/out").string() + " --change " + (dir / "change").string() +
                                    " --html " + (dir / "report.html").string());
    ASSERT_EQ(code, 0) << out;
    const std::string html = test::readText(dir / "report.html");
    EXPECT_NE(html.find("Change since baseline"), std::string::npos);
    EXPECT_NE(html.find("Medial tibial cartilage, seen from above"), std::string::npos);
    std::tie(code, out) = test::run(cli + " change " + (dir / "base/out").string() + " " + (dir / "other/out").string() +
                                    " --out " + (dir / "change3").string());
    EXPECT_EQ(code, 1) << out;
    EXPECT_NE(out.find("are these two scans of the same knee?"), std::string::npos) << out;
    EXPECT_FALSE(fs::exists(dir / "change3" / "change.csv"));
    std::tie(code, out) = test::run(cli + " change " + dir.path().string() + " " + (dir / "thinned/out").string() + " --out " +
                                    (dir / "change2").string());
    EXPECT_EQ(code, 1);
    EXPECT_NE(out.find("is not a result bundle"), std::string::npos) << out;

    // A cohort with two timepoints of s1 (and one of s2) writes s1/change.csv and the study's change.csv.
    test::writeText(dir / "cohort.csv", "subject,timepoint,image,labels\n"
                                        "s1,t0,base/image.nii.gz,base/labels.nii.gz\n"
                                        "s1,t1,thinned/image.nii.gz,thinned/labels.nii.gz\n"
                                        "s2,t0,moved/image.nii.gz,moved/labels.nii.gz\n");
    std::tie(code, out) = test::run(cli + " cohort knee " + (dir / "cohort.csv").string() + " --out " + (dir / "study").string() +
                                    " -p meshes=false --device cpu -q");
    ASSERT_EQ(code, 0) << out;
    const std::string s1 = test::readText(dir / "study" / "s1" / "change.csv");
    EXPECT_EQ(s1.rfind(std::string("baseline,followup,") + results::TimepointChange::kHeader, 0), 0u) << s1;
    EXPECT_NE(s1.find("\"t0\",\"t1\",medial_tibial_cartilage,,"), std::string::npos) << s1;
    EXPECT_TRUE(fs::exists(dir / "study" / "s1" / "change_t1" / "change_map.nii.gz"));
    EXPECT_FALSE(fs::exists(dir / "study" / "change_failures.csv"));
    EXPECT_FALSE(fs::exists(dir / "study" / "s2" / "change.csv")); // one timepoint: no change
    const std::string study = test::readText(dir / "study" / "change.csv");
    EXPECT_NE(study.find("\"s1\",\"t0\",\"t1\",medial_tibial_cartilage,MT,"), std::string::npos) << study.substr(0, 400);
}

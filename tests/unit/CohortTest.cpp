// Cohort runs with a small test pipeline: manifest parsing, a failing case, a missing file, resume, the tables.
#include "TestSupport.h"
#include "strata/Error.h"
#include "strata/cohort/CohortManifest.h"
#include "strata/cohort/CohortRunner.h"
#include "strata/cohort/CohortTable.h"
#include "strata/pipeline/LocalExecutor.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

using namespace strata;
using namespace strata::cohort;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const char* kManifest = R"({
  "id": "test-measure", "title": "Test measure", "version": "1",
  "inputs": [{"name": "image", "type": "file", "help": "a text file holding a number"}],
  "stages": [{"id": "measure", "title": "Measuring", "weight": 1}]
})";

/// Reads a number from its input and writes metrics.json like the knee pipeline's; "corrupt" input fails.
class MeasureStage : public pipeline::Stage {
public:
    void run(pipeline::StageContext& ctx) override
    {
        std::ifstream in(ctx.request().inputs.at("image"));
        double v = 0;
        if (!(in >> v)) throw IoError("Cannot read a number from '" + ctx.request().inputs.at("image").filename().string() + "'.");
        ++runs;
        json metrics{{"volumes_mm3", {{"femoral_cartilage", v}, {"femur", 10 * v}}},
                     {"thickness_mm", {{"femoral_cartilage", {{"mean", v / 100}, {"voxels", 7}}}}},
                     {"subregions", {{"ccMF", {{"plate", "femoral_cartilage"}, {"mean", v / 200}}}}}};
        if (v < 0) { // a scan quality control rejects: like the knee pipeline, no tables
            metrics = {{"quality", {{"verdict", "not_a_knee"}, {"reasons", {"no femur found"}}, {"foreground_confidence", 0.5}}}};
        }
        std::ofstream(ctx.outputDir() / "metrics.json") << metrics.dump();
    }
    static inline int runs = 0;
};

class MeasurePipeline : public pipeline::Pipeline {
public:
    MeasurePipeline() : manifest_(pipeline::PipelineManifest::fromJson(json::parse(kManifest))) {}
    const pipeline::PipelineManifest& manifest() const override { return manifest_; }
    std::vector<std::unique_ptr<pipeline::Stage>> createStages() const override
    {
        std::vector<std::unique_ptr<pipeline::Stage>> s;
        s.push_back(std::make_unique<MeasureStage>());
        return s;
    }

private:
    pipeline::PipelineManifest manifest_;
};

class NullSink : public pipeline::ProgressSink {
public:
    void progress(const pipeline::ProgressEvent& e) override { last = e; }
    pipeline::ProgressEvent last;
};

/// The test pipeline on this machine, and cohort options writing under `out`.
struct TestCohort {
    explicit TestCohort(const fs::path& out) : executor(registry())
    {
        options.pipeline = "test-measure";
        options.outDir = out;
    }
    static const pipeline::PipelineRegistry& registry()
    {
        static const pipeline::PipelineRegistry r = [] {
            pipeline::PipelineRegistry reg;
            reg.add(std::make_shared<MeasurePipeline>());
            return reg;
        }();
        return r;
    }
    pipeline::LocalExecutor executor;
    CohortOptions options;
    NullSink sink;
};

std::string readAll(const fs::path& p)
{
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

} // namespace

TEST(CohortManifest, ReadsColumnsInAnyOrderWithQuotesAndRelativePaths)
{
    test::TempDir dir;
    test::writeText(dir / "m.csv", "\xEF\xBB\xBFimage,timepoint,subject,labels\n"
                                   "scans/a.nii.gz,baseline,s01,\n"
                                   "\"scans/b, with comma.nii.gz\",12m,s01,seg/b.nii.gz\n"
                                   "\n"
                                   "/abs/c.nrrd,baseline,s02,\n");
    const auto cases = CohortManifest::read(dir / "m.csv");
    ASSERT_EQ(cases.size(), 3u);
    EXPECT_EQ(cases[0].subject, "s01");
    EXPECT_EQ(cases[0].timepoint, "baseline");
    EXPECT_EQ(cases[0].image, dir / "scans/a.nii.gz");
    EXPECT_TRUE(cases[0].labels.empty());
    EXPECT_EQ(cases[1].image, dir / "scans/b, with comma.nii.gz");
    EXPECT_EQ(cases[1].labels, dir / "seg/b.nii.gz");
    EXPECT_EQ(cases[2].image, fs::path("/abs/c.nrrd"));
    EXPECT_EQ(cases[2].line, 5u);
    EXPECT_EQ(cases[1].bundleDir("/out"), fs::path("/out/s01/12m"));
}

TEST(CohortManifest, RefusesWhatCannotBeAFolderOrIsAmbiguous)
{
    test::TempDir dir;
    auto refused = [&](const std::string& text, const std::string& expected) {
        test::writeText(dir / "m.csv", text);
        try {
            (void)CohortManifest::read(dir / "m.csv");
            ADD_FAILURE() << "accepted: " << text;
        } catch (const InvalidArgument& e) {
            EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
        }
    };
    refused("subject,image\ns1,a.nii\n", "no 'timepoint' column");
    refused("subject,timepoint,image\n../x,1,a.nii\n", "line 2");
    refused("subject,timepoint,image\ns1,1,a.nii\ns1,1,b.nii\n", "listed twice");
    refused("subject,timepoint,image\n", "lists no cases");
    EXPECT_THROW((void)CohortManifest::read(dir / "missing.csv"), IoError);
}

TEST(CohortManifest, AFolderOfScansIsACohort)
{
    test::TempDir dir;
    test::writeText(dir / "k02.nii.gz", "x");
    test::writeText(dir / "k01.nrrd", "x");
    test::writeText(dir / "notes.txt", "x");
    fs::create_directories(dir / "dicom03");
    const auto cases = CohortManifest::read(dir.path());
    ASSERT_EQ(cases.size(), 3u);
    EXPECT_EQ(cases[0].subject, "dicom03");
    EXPECT_EQ(cases[1].subject, "k01");
    EXPECT_EQ(cases[2].subject, "k02");
    EXPECT_EQ(cases[2].timepoint, "1");
}

TEST(CohortTable, LongRowsFromKneeMetrics)
{
    const json metrics{{"volumes_mm3", {{"femur", 12.5}}},
                       {"thickness_mm", {{"femoral_cartilage", {{"mean", 2.25}, {"voxels", 40}}}}},
                       {"subregions", {{"ccLF", {{"plate", "femoral_cartilage"}, {"p95", 3.5}, {"tab_mm2", 120.0}}}}},
                       {"unknown_section", 5}};
    auto rows = CohortTable::rowsFromMetrics(metrics);
    ASSERT_EQ(rows.size(), 5u);
    EXPECT_EQ(CohortTable::csvLines("s1", "t0", rows), "s1,t0,femur,,volume,12.5,mm3\n"
                                                       "s1,t0,femoral_cartilage,,mean,2.25,mm\n"
                                                       "s1,t0,femoral_cartilage,,voxels,40,voxels\n"
                                                       "s1,t0,femoral_cartilage,ccLF,p95,3.5,mm\n"
                                                       "s1,t0,femoral_cartilage,ccLF,tab_mm2,120,mm2\n");
    EXPECT_TRUE(CohortTable::rowsFromMetrics(json::array()).empty());
    const json quality{{"quality", {{"verdict", "uncertain"}, {"foreground_confidence", 0.75},
                                    {"reasons", {"medial meniscus: confidence 0.57", "lateral, too small"}},
                                    {"structures", {{"femur", {{"confidence", 0.99}}}}}}}};
    rows = CohortTable::rowsFromMetrics(quality);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(CohortTable::csvLines("s1", "t0", rows), "s1,t0,femur,,confidence,0.99,fraction\n");
    EXPECT_EQ(CohortTable::qualityLine("s1", "t0", quality),
              "s1,t0,uncertain,0.7500,\"medial meniscus: confidence 0.57; lateral, too small\"\n");
    EXPECT_EQ(CohortTable::qualityLine("s1", "t0", json::object()), "");
}

TEST(CohortRunner, FailingAndMissingCasesDoNotStopTheOthersAndARerunResumes)
{
    test::TempDir dir;
    test::writeText(dir / "a.txt", "100");
    test::writeText(dir / "b.txt", "corrupt");
    test::writeText(dir / "c.txt", "300");
    test::writeText(dir / "d.txt", "-1");
    test::writeText(dir / "m.csv", "subject,timepoint,image\ns1,t0,a.txt\ns2,t0,b.txt\ns3,t0,missing.txt\ns1,t1,c.txt\n"
                                   "s4,t0,d.txt\n");
    TestCohort t(dir / "out");
    CohortRunner runner(t.executor, t.options);
    NullSink& sink = t.sink;
    MeasureStage::runs = 0;
    const auto cases = CohortManifest::read(dir / "m.csv");

    auto summary = runner.run(cases, sink, {});
    EXPECT_EQ(summary.succeeded, 2u);
    EXPECT_EQ(summary.failed, 3u); // corrupt, missing, not a knee
    EXPECT_EQ(summary.skipped, 0u);
    EXPECT_EQ(MeasureStage::runs, 3);
    EXPECT_DOUBLE_EQ(sink.last.overall, 1.0);
    EXPECT_NE(sink.last.stageTitle.find("case 5/5 s4/t0: "), std::string::npos) << sink.last.stageTitle;
    EXPECT_TRUE(fs::exists(dir / "out/s4/t0/metrics.json")); // kept for a look
    EXPECT_NE(readAll(dir / "out/failures.csv").find("Quality control: not a knee (no femur found)."), std::string::npos);
    EXPECT_NE(readAll(dir / "out/cohort_quality.csv").find("s4,t0,not_a_knee,0.5000,no femur found"), std::string::npos);
    EXPECT_TRUE(CohortRunner::finished(dir / "out/s1/t0"));
    EXPECT_TRUE(CohortRunner::finished(dir / "out/s1/t1"));
    EXPECT_FALSE(fs::exists(dir / "out/s2/t0")); // a failed run leaves no bundle
    const std::string failures = readAll(dir / "out/failures.csv");
    EXPECT_NE(failures.find("\"s2\",\"t0\""), std::string::npos) << failures;
    EXPECT_NE(failures.find("Cannot read a number"), std::string::npos) << failures;
    EXPECT_NE(failures.find("\"s3\",\"t0\""), std::string::npos) << failures;
    EXPECT_NE(failures.find("does not exist"), std::string::npos) << failures;
    const std::string table = readAll(dir / "out/cohort.csv");
    EXPECT_EQ(table.rfind(CohortTable::kHeader, 0), 0u);
    EXPECT_NE(table.find("s1,t0,femoral_cartilage,,volume,100,mm3"), std::string::npos) << table;
    EXPECT_NE(table.find("s1,t1,femur,,volume,3000,mm3"), std::string::npos) << table;
    EXPECT_NE(table.find("s1,t1,femoral_cartilage,ccMF,mean,1.5,mm"), std::string::npos) << table;

    // The corrupt case is mended; a rerun runs only the cases not finished and tables them all.
    test::writeText(dir / "b.txt", "200");
    summary = runner.run(cases, sink, {});
    EXPECT_EQ(summary.succeeded, 1u);
    EXPECT_EQ(summary.skipped, 2u);
    EXPECT_EQ(summary.failed, 2u); // still missing; still not a knee (not run again)
    EXPECT_EQ(MeasureStage::runs, 4);
    EXPECT_NE(readAll(dir / "out/cohort.csv").find("s2,t0,femoral_cartilage,,volume,200,mm3"), std::string::npos);
    EXPECT_EQ(readAll(dir / "out/failures.csv").find("\"s2\""), std::string::npos);
}

TEST(CohortRunner, AStopEndsTheCohortBetweenCases)
{
    test::TempDir dir;
    test::writeText(dir / "a.txt", "1");
    test::writeText(dir / "m.csv", "subject,timepoint,image\ns1,t0,a.txt\ns2,t0,a.txt\n");
    TestCohort t(dir / "out");
    std::stop_source stop;
    stop.request_stop();
    const auto summary = CohortRunner(t.executor, t.options).run(CohortManifest::read(dir / "m.csv"), t.sink, stop.get_token());
    EXPECT_TRUE(summary.cancelled);
    EXPECT_EQ(summary.succeeded, 0u);
    EXPECT_TRUE(fs::exists(dir / "out/cohort.csv"));
}

TEST(CohortRunner, TheObserverSeesEachCaseAsItEnds)
{
    test::TempDir dir;
    test::writeText(dir / "a.txt", "1");
    test::writeText(dir / "b.txt", "corrupt");
    test::writeText(dir / "m.csv", "subject,timepoint,image\ns1,t0,a.txt\ns2,t0,b.txt\n");
    TestCohort t(dir / "out");
    CohortRunner runner(t.executor, t.options);
    std::vector<std::pair<std::size_t, CaseOutcome::State>> seen;
    runner.setCaseObserver([&](std::size_t i, const CaseOutcome& o) { seen.emplace_back(i, o.state); });
    const auto cases = CohortManifest::read(dir / "m.csv");
    runner.run(cases, t.sink, {});
    ASSERT_EQ(seen.size(), 2u);
    EXPECT_EQ(seen[0], std::make_pair(std::size_t{0}, CaseOutcome::State::Succeeded));
    EXPECT_EQ(seen[1], std::make_pair(std::size_t{1}, CaseOutcome::State::Failed));
    seen.clear();
    runner.run(cases, t.sink, {});
    ASSERT_EQ(seen.size(), 2u);
    EXPECT_EQ(seen[0].second, CaseOutcome::State::Skipped);
}

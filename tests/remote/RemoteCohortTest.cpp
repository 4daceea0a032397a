// A cohort submitted as one job group (issue 18, part 3): every case checked before anything is queued, one job per
// case, a failing case does not stop the others, the group's status and its long table, cancel, owners.
#include "RemoteTestHelpers.h"

#include "strata/ImageIO.h"
#include "strata/phantom/KneePhantom.h"

using namespace strata;
using namespace strata::remote;
using namespace strata::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

struct KneeFiles {
    fs::path image, labels;
};

KneeFiles smallKnee(const fs::path& dir, std::uint64_t seed, Size3 size = {128, 128, 80})
{
    phantom::KneePhantomParams p;
    p.seed = seed;
    p.size = size;
    p.spacing = {0.8, 0.8, 1.4};
    const auto c = phantom::generateKneePhantom(p);
    fs::create_directories(dir);
    writeImage(c.image, dir / "image.nii.gz");
    writeLabelMap(c.labels, dir / "labels.nii.gz");
    return {dir / "image.nii.gz", dir / "labels.nii.gz"};
}

json kneeCase(const std::string& subject, const std::string& timepoint, const std::string& image, const std::string& labels)
{
    return {{"subject", subject},
            {"timepoint", timepoint},
            {"inputs", {{"image", {{"sha256", image}, {"name", "image.nii.gz"}}}, {"labels", {{"sha256", labels}, {"name", "labels.nii.gz"}}}}}};
}

json waitForCohort(ApiClient& client, const std::string& id, double seconds = 180)
{
    json cohort;
    const auto t0 = std::chrono::steady_clock::now();
    while (std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() < seconds) {
        cohort = client.get("/cohorts/" + id).body;
        if (cohort.value("finished", false)) return cohort;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return cohort;
}

std::string getText(ApiClient& client, const std::string& path)
{
    std::string text;
    const int status = client.stream(path, [&](const char* data, std::size_t n) {
        text.append(data, n);
        return true;
    });
    EXPECT_EQ(status, 200) << path;
    return text;
}

} // namespace

TEST(RemoteCohort, OneGroupRunsEveryCaseAFailureStopsNoOtherAndTheTableHasTheFinishedOnes)
{
    test::TempDir dir;
    test::ServerProcess server(dir / "data");
    ASSERT_TRUE(server.start());
    ApiClient c(endpoint(server, server.adminToken()));
    const auto a = smallKnee(dir / "a", 11), b = smallKnee(dir / "b", 12), odd = smallKnee(dir / "odd", 13, {120, 128, 80});
    const std::string aImage = upload(c, a.image), aLabels = upload(c, a.labels), bImage = upload(c, b.image),
                      bLabels = upload(c, b.labels), oddLabels = upload(c, odd.labels);
    // Case 3's labels are on another grid: accepted at submission (both are valid images), refused when it runs.
    const json body = {{"pipeline", "knee-mri"},
                       {"device", "cpu"},
                       {"cases", {kneeCase("s1", "baseline", aImage, aLabels), kneeCase("s2", "baseline", bImage, bLabels),
                                  kneeCase("s3", "baseline", aImage, oddLabels)}}};
    const auto r = c.post("/cohorts", body);
    ASSERT_EQ(r.status, 202) << r.body.dump();
    const std::string id = r.body["id"];
    ASSERT_EQ(r.body["cases"].size(), 3u);
    EXPECT_EQ(c.get("/jobs").body.size(), 3u); // one ordinary job per case

    const json done = waitForCohort(c, id);
    ASSERT_TRUE(done.value("finished", false)) << done.dump(1);
    EXPECT_EQ(done["counts"]["succeeded"], 2) << done.dump(1);
    EXPECT_EQ(done["counts"]["failed"], 1) << done.dump(1);
    const json& failed = done["cases"][2];
    EXPECT_EQ(failed["subject"], "s3");
    EXPECT_EQ(failed["state"], "failed");
    EXPECT_NE(failed.value("message", "").find("grid"), std::string::npos) << failed.dump();

    const std::string table = getText(c, "/cohorts/" + id + "/table");
    EXPECT_EQ(table.rfind("subject,timepoint,structure,region,measure,value,unit\n", 0), 0u) << table.substr(0, 200);
    EXPECT_NE(table.find("s1,baseline,femoral_cartilage,ecMF,tab_mm2,"), std::string::npos);
    EXPECT_NE(table.find("s2,baseline,medial_tibial_cartilage,,mean,"), std::string::npos);
    EXPECT_EQ(table.find("s3,"), std::string::npos); // the failed case has no rows

    // The group's jobs are ordinary jobs: their bundles download as usual.
    const std::string job1 = done["cases"][0]["job"];
    EXPECT_EQ(c.get("/jobs/" + job1).body["state"], "succeeded");
    // Listed among the caller's cohorts; invisible to another token.
    EXPECT_EQ(c.get("/cohorts").body.size(), 1u);
    std::string bob = server.cli("token create --name bob");
    bob = bob.substr(0, bob.find('\n'));
    ApiClient other(endpoint(server, bob));
    EXPECT_EQ(other.get("/cohorts/" + id).status, 404);
    EXPECT_EQ(other.get("/cohorts").body.size(), 0u);
    EXPECT_EQ(other.post("/cohorts/" + id + "/cancel", json::object()).status, 404);
}

TEST(RemoteCohort, ABadCaseRefusesTheWholeGroupNamingTheCase)
{
    test::TempDir dir;
    test::ServerProcess server(dir / "data");
    ASSERT_TRUE(server.start());
    ApiClient c(endpoint(server, server.adminToken()));
    const std::string sha = upload(c, writeFile(dir / "input.bin", 1000));
    const auto selftestCase = [&](const std::string& subject, const std::string& input) {
        return json{{"subject", subject}, {"timepoint", "1"}, {"inputs", {{"file", input}}}};
    };
    const auto submit = [&](const json& cases) { return c.post("/cohorts", {{"pipeline", "selftest"}, {"cases", cases}}); };

    auto r = submit(json::array({selftestCase("a", sha), selftestCase("b", std::string(64, 'f'))}));
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body["error"]["code"], "unknown_upload") << r.body.dump();
    EXPECT_NE(r.errorMessage().find("Case 2 (b/1)"), std::string::npos) << r.errorMessage();
    EXPECT_NE(r.errorMessage().find("Nothing was queued"), std::string::npos) << r.errorMessage();
    EXPECT_EQ(r.body["error"]["case"], 1) << r.body.dump();

    r = submit(json::array({selftestCase("a", sha), selftestCase("a", sha)}));
    EXPECT_EQ(r.status, 400);
    EXPECT_NE(r.errorMessage().find("given twice"), std::string::npos) << r.errorMessage();
    r = submit(json::array({selftestCase("../etc", sha)}));
    EXPECT_EQ(r.status, 400);
    EXPECT_NE(r.errorMessage().find("letters, digits"), std::string::npos) << r.errorMessage();
    EXPECT_EQ(submit(json::array()).status, 400);
    EXPECT_EQ(c.post("/cohorts", {{"pipeline", "nope"}, {"cases", json::array({selftestCase("a", sha)})}}).status, 400);
    // Nothing of the refused groups was queued or left behind.
    EXPECT_EQ(c.get("/jobs").body.size(), 0u);
    EXPECT_EQ(c.get("/cohorts").body.size(), 0u);
    EXPECT_TRUE(!fs::exists(dir / "data" / "jobs") || fs::is_empty(dir / "data" / "jobs"));

    // Cancel stops every unfinished case.
    json cases = json::array();
    for (const char* s : {"a", "b", "c"}) {
        json item = selftestCase(s, sha);
        cases.push_back(item);
    }
    r = c.post("/cohorts", {{"pipeline", "selftest"}, {"parameters", {{"steps", 200}, {"step_ms", 50}}}, {"cases", cases}});
    ASSERT_EQ(r.status, 202) << r.body.dump();
    const std::string id = r.body["id"];
    EXPECT_EQ(c.post("/cohorts/" + id + "/cancel", json::object()).status, 202);
    const json done = waitForCohort(c, id, 30);
    ASSERT_TRUE(done.value("finished", false)) << done.dump(1);
    EXPECT_EQ(done["counts"]["cancelled"], 3) << done.dump(1);
    EXPECT_EQ(getText(c, "/cohorts/" + id + "/table"), "subject,timepoint,structure,region,measure,value,unit\n");
}

TEST(RemoteCohort, AnnouncedRunsGoToTheServerAsOneGroupAndComeBackOneByOne)
{
    test::TempDir dir;
    test::ServerProcess server(dir / "data");
    ASSERT_TRUE(server.start());
    std::vector<pipeline::PlannedRun> runs;
    for (int i = 0; i < 3; ++i) {
        const auto input = writeFile(dir / ("in" + std::to_string(i) + ".bin"), 2000 + i, static_cast<std::uint32_t>(i));
        runs.push_back({"s" + std::to_string(i), "1", selftest(input, dir / "study" / ("s" + std::to_string(i)) / "1", {{"steps", 5}})});
    }
    RemoteExecutor exec(endpoint(server, server.adminToken()));
    RecordingSink sink;
    exec.announce(runs, sink, {});
    ApiClient c(endpoint(server, server.adminToken()));
    const json cohorts = c.get("/cohorts").body;
    ASSERT_EQ(cohorts.size(), 1u) << cohorts.dump();
    EXPECT_EQ(c.get("/jobs").body.size(), 3u);
    for (const auto& r : runs) {
        fs::create_directories(r.request.outputDir.parent_path());
        const auto result = exec.run(r.request, sink, {});
        ASSERT_EQ(result.status, pipeline::RunStatus::Succeeded) << result.message;
        const json out = json::parse(std::ifstream(r.request.outputDir / "result.json"));
        EXPECT_EQ(out["sha256"], Sha256::ofPath(r.request.inputs.at("file")));
    }
    EXPECT_EQ(c.get("/jobs").body.size(), 3u); // nothing submitted twice

    // A stop while following the first run cancels the rest of its group on the server.
    std::vector<pipeline::PlannedRun> slow;
    for (int i = 0; i < 3; ++i) {
        auto r = runs[static_cast<std::size_t>(i)];
        r.subject = "t" + std::to_string(i);
        r.request.outputDir = dir / "study2" / r.subject / "1";
        r.request.parameters = {{"steps", 400}, {"step_ms", 50}};
        slow.push_back(r);
    }
    exec.announce(slow, sink, {});
    std::stop_source stop;
    std::jthread stopper([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(700));
        stop.request_stop();
    });
    fs::create_directories(slow[0].request.outputDir.parent_path());
    EXPECT_EQ(exec.run(slow[0].request, sink, stop.get_token()).status, pipeline::RunStatus::Cancelled);
    const json group = c.get("/cohorts").body[0]; // newest first
    EXPECT_EQ(group["counts"]["cancelled"], 3) << group.dump(1);

    // A group the server refuses (a subject that cannot name a folder) is run one by one, saying why.
    RecordingSink quiet;
    auto lone = runs;
    lone[1].subject = "../x";
    exec.announce(lone, quiet, {});
    EXPECT_EQ(c.get("/cohorts").body.size(), 2u);
    bool said = false;
    for (const auto& m : quiet.logs) said = said || m.find("one by one") != std::string::npos;
    EXPECT_TRUE(said);
}

TEST(RemoteCohort, CliCohortWithAServerSubmitsOneGroupAndResumes)
{
    test::TempDir dir;
    test::ServerProcess server(dir / "data");
    ASSERT_TRUE(server.start());
    std::string manifest = "subject,timepoint,image\n";
    for (int i = 0; i < 3; ++i) {
        writeFile(dir / ("scan" + std::to_string(i) + ".bin"), 1500 + i, static_cast<std::uint32_t>(i + 7));
        manifest += "k" + std::to_string(i) + ",base,scan" + std::to_string(i) + ".bin\n";
    }
    manifest += "k9,base,missing.bin\n"; // fails on this machine before anything is sent
    test::writeText(dir / "cohort.csv", manifest);
    const std::string cmd = std::string(STRATA_CLI_PATH) + " cohort selftest " + (dir / "cohort.csv").string() + " --out " +
                            (dir / "study").string() + " --server " + server.url() + " --token " + server.adminToken() +
                            " -p steps=3 -q";
    auto [code, out] = test::run(cmd);
    EXPECT_EQ(code, 3) << out; // one case failed
    ApiClient c(endpoint(server, server.adminToken()));
    const json groups = c.get("/cohorts").body;
    ASSERT_EQ(groups.size(), 1u) << out;
    EXPECT_EQ(groups[0]["cases"].size(), 3u); // the three that exist, as one group
    EXPECT_EQ(groups[0]["counts"]["succeeded"], 3);
    for (int i = 0; i < 3; ++i) EXPECT_TRUE(fs::exists(dir / "study" / ("k" + std::to_string(i)) / "base" / "result.json")) << out;
    std::ifstream failuresFile(dir / "study" / "failures.csv");
    const std::string failures((std::istreambuf_iterator<char>(failuresFile)), {});
    EXPECT_NE(failures.find("\"k9\",\"base\""), std::string::npos) << failures;
    // A rerun resumes: nothing new on the server (the missing case alone is not a group).
    std::tie(code, out) = test::run(cmd);
    EXPECT_EQ(code, 3) << out;
    EXPECT_EQ(c.get("/cohorts").body.size(), 1u);
    EXPECT_EQ(c.get("/jobs").body.size(), 3u);
}

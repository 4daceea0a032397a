// strata-server --queue redis://... with strata-worker processes on loopback: 20 selftest jobs on two workers,
// one worker killed with SIGKILL in the middle of a job, Redis killed and started again on its AOF folder, the
// server stopped and started again while the worker goes on:
// every job completes exactly once (rows, result bundles, the server's log), the HTTP API, events and
// RemoteExecutor work unchanged, cancel reaches the worker, and an unreachable Redis is a clear error; a worker
// rebuilds a DICOM folder input from the shared store.
#include "PipelineRun.h"
#include "RedisProcess.h"
#include "RemoteTestHelpers.h"
#include "ServerProcess.h"
#include "SyntheticDicom.h"
#include "TestSupport.h"
#include "strata/phantom/KneePhantom.h"
#include "strata/remote/Client.h"
#include "strata/remote/RemoteExecutor.h"

#include <gtest/gtest.h>

#include <mutex>
#include <set>

using namespace strata;
using namespace strata::remote;
using nlohmann::json;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

Endpoint endpoint(const test::ServerProcess& server)
{
    return test::endpoint(server, server.adminToken());
}

void startWorker(test::ChildProcess& w, const test::ServerProcess& server, const test::RedisProcess& redis,
                 const std::string& name, const std::string& reclaimAfter = "3")
{
    w.start({STRATA_WORKER_PATH, "--queue", redis.url(), "--data", server.dataDir().string(), "--device", "cpu",
             "--name", name, "--selftest-pipeline", "--reclaim-after", reclaimAfter, "--threads", "1"},
            server.dataDir().parent_path() / name);
    for (int i = 0; i < 600 && w.out().find("waiting for jobs") == std::string::npos; ++i) {
        std::this_thread::sleep_for(100ms);
    }
    ASSERT_NE(w.out().find("waiting for jobs"), std::string::npos) << w.err();
}

/// Lines of a JSON log with this event.
std::vector<json> logLines(const std::string& text, const std::string& event)
{
    std::vector<json> out;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        const json j = json::parse(line, nullptr, false);
        if (!j.is_discarded() && j.value("event", "") == event) out.push_back(j);
    }
    return out;
}

class RecordingSink : public pipeline::ProgressSink {
public:
    void progress(const pipeline::ProgressEvent& e) override
    {
        std::lock_guard lock(mutex);
        stages.insert(e.stageId);
    }
    std::mutex mutex;
    std::set<std::string> stages;
};

} // namespace

TEST(ScaleOut, TwentyJobsOnTwoWorkersSurviveAKilledWorkerAndARedisRestart)
{
    if (test::redisServerPath().empty()) GTEST_SKIP() << "redis-server is not installed (apt install redis-server)";
    test::TempDir dir;
    test::RedisProcess redis(dir / "redis");
    ASSERT_TRUE(redis.start());
    test::ServerProcess server(dir / "data", {"--queue", redis.url()});
    ASSERT_TRUE(server.start());
    test::ChildProcess w1, w2;
    startWorker(w1, server, redis, "w1");
    startWorker(w2, server, redis, "w2");
    auto client = std::make_unique<ApiClient>(endpoint(server));
    EXPECT_EQ(client->get("/version").body["queue"], "redis");

    constexpr int kJobs = 20;
    std::vector<std::string> ids, shas;
    for (int i = 0; i < kJobs; ++i) {
        const fs::path f = dir / ("in-" + std::to_string(i) + ".txt");
        test::writeText(f, "input " + std::to_string(i) + "\n");
        shas.push_back(test::upload(*client, f));
        const auto r = client->post("/jobs", {{"pipeline", "selftest"}, {"parameters", {{"steps", 10}, {"step_ms", 80}}},
                                        {"inputs", {{"file", {{"sha256", shas.back()}, {"name", f.filename().string()}}}}}});
        ASSERT_EQ(r.status, 202) << r.body.dump();
        ids.push_back(r.body["id"]);
    }

    // kill -9 w1 in the middle of a job (started, not finished).
    std::string killedJob;
    for (int i = 0; i < 600 && killedJob.empty(); ++i) {
        const auto started = logLines(w1.err(), "job_started");
        const auto finished = logLines(w1.err(), "job_finished");
        if (!started.empty() && finished.size() < started.size() && !finished.empty()) killedJob = started.back()["job"];
        else std::this_thread::sleep_for(50ms);
    }
    ASSERT_FALSE(killedJob.empty()) << w1.err();
    std::this_thread::sleep_for(200ms);
    w1.kill9();

    // Redis dies with jobs queued and one running, and comes back on the same append-only file.
    auto succeeded = [&] {
        int n = 0;
        for (const auto& j : client->get("/jobs?limit=1000").body) n += j["state"] == "succeeded";
        return n;
    };
    for (int i = 0; i < 600 && succeeded() < 8; ++i) std::this_thread::sleep_for(50ms);
    redis.kill9();
    std::this_thread::sleep_for(1500ms);
    ASSERT_TRUE(redis.start());
    // The server stops for a moment (SIGTERM) while w2 goes on: its events wait in Redis for the new server.
    server.stop();
    std::this_thread::sleep_for(1500ms);
    ASSERT_TRUE(server.start());
    client = std::make_unique<ApiClient>(endpoint(server));

    for (int i = 0; i < 900 && succeeded() < kJobs; ++i) std::this_thread::sleep_for(100ms);
    ASSERT_EQ(succeeded(), kJobs) << client->get("/jobs?limit=1000").body.dump(1) << "\nserver:\n" << server.stderrText(2)
                                  << "\nw2:\n" << w2.err();

    // Exactly once: each row succeeded once, its bundle is complete and its own, nothing half-written is left.
    const auto finishedLog = logLines(server.stderrText(1) + server.stderrText(2), "job_finished");
    for (int i = 0; i < kJobs; ++i) {
        const json job = client->get("/jobs/" + ids[i]).body;
        EXPECT_EQ(job["state"], "succeeded");
        // The killed worker's job ran twice; any other once (a run whose claim fell into the second of writes Redis
        // lost when it was killed may be counted again, but its result is still stored once).
        if (ids[i] == killedJob) EXPECT_EQ(job["attempts"], 2) << ids[i];
        else EXPECT_LE(job["attempts"].get<int>(), 2) << ids[i];
        const fs::path bundle = server.dataDir() / "jobs" / ids[i] / "bundle";
        const json result = json::parse(std::ifstream(bundle / "result.json"), nullptr, false);
        ASSERT_FALSE(result.is_discarded()) << ids[i];
        EXPECT_EQ(result["sha256"], shas[i]);
        std::set<std::string> listed, onDisk;
        for (const auto& f : job["files"]) listed.insert(f["path"].get<std::string>());
        for (const auto& e : fs::recursive_directory_iterator(bundle)) {
            if (e.is_regular_file()) onDisk.insert(fs::relative(e.path(), bundle).generic_string());
        }
        EXPECT_EQ(listed, onDisk);
        EXPECT_EQ(listed.count("result.json"), 1u);
        for (const auto& e : fs::directory_iterator(server.dataDir() / "jobs" / ids[i])) {
            EXPECT_EQ(e.path().filename().string().rfind(".run-", 0), std::string::npos) << e.path();
        }
        EXPECT_EQ(std::count_if(finishedLog.begin(), finishedLog.end(), [&](const json& l) { return l["job"] == ids[i]; }), 1)
            << ids[i];
    }
    std::string got;
    ASSERT_EQ(client->stream("/jobs/" + killedJob + "/files/result.json", [&](const char* d, std::size_t n) {
        got.append(d, n);
        return true;
    }), 200);
    EXPECT_FALSE(json::parse(got).is_discarded());

    // The unchanged client: RemoteExecutor with progress through worker -> Redis -> server -> SSE.
    RemoteExecutor remote(endpoint(server));
    RecordingSink sink;
    pipeline::RunRequest request;
    request.pipeline = "selftest";
    request.inputs["file"] = dir / "in-0.txt";
    request.outputDir = dir / "remote-out";
    request.parameters = {{"steps", 5}, {"step_ms", 50}};
    const auto run = remote.run(request, sink, {});
    EXPECT_EQ(run.status, pipeline::RunStatus::Succeeded) << run.message;
    EXPECT_TRUE(fs::exists(dir / "remote-out" / "result.json"));
    EXPECT_EQ(sink.stages.count("hash"), 1u);

    // Cancel reaches the worker: a long job stops within seconds.
    const auto r = client->post("/jobs", {{"pipeline", "selftest"}, {"parameters", {{"steps", 600}, {"step_ms", 100}}},
                                    {"inputs", {{"file", shas[0]}}}});
    ASSERT_EQ(r.status, 202);
    const std::string longId = r.body["id"];
    for (int i = 0; i < 300 && client->get("/jobs/" + longId).body["state"] != "running"; ++i) std::this_thread::sleep_for(50ms);
    ASSERT_EQ(client->post("/jobs/" + longId + "/cancel", json::object()).status, 202);
    json job;
    for (int i = 0; i < 200; ++i) {
        job = client->get("/jobs/" + longId).body;
        if (job["state"] == "cancelled") break;
        std::this_thread::sleep_for(50ms);
    }
    EXPECT_EQ(job["state"], "cancelled") << job.dump();
    EXPECT_EQ(client->get("/health").body["workers"], 1) << "w1 is dead: only w2 heartbeats";
}

TEST(ScaleOut, AStoppedWorkerHandsItsJobBackAtOnce)
{
    if (test::redisServerPath().empty()) GTEST_SKIP() << "redis-server is not installed (apt install redis-server)";
    test::TempDir dir;
    test::RedisProcess redis(dir / "redis");
    ASSERT_TRUE(redis.start());
    test::ServerProcess server(dir / "data", {"--queue", redis.url()});
    ASSERT_TRUE(server.start());
    test::ChildProcess w1, w2;
    startWorker(w1, server, redis, "w1", "60"); // a reclaim would take a minute: only the hand-back is quick
    ApiClient c(endpoint(server));
    test::writeText(dir / "in.txt", "x");
    const std::string sha = test::upload(c, dir / "in.txt");
    const auto r = c.post("/jobs", {{"pipeline", "selftest"}, {"parameters", {{"steps", 30}, {"step_ms", 100}}},
                                    {"inputs", {{"file", sha}}}});
    ASSERT_EQ(r.status, 202);
    const std::string id = r.body["id"];
    for (int i = 0; i < 300 && c.get("/jobs/" + id).body["state"] != "running"; ++i) std::this_thread::sleep_for(50ms);
    startWorker(w2, server, redis, "w2", "60");
    const auto t0 = std::chrono::steady_clock::now();
    w1.stop(); // SIGTERM
    EXPECT_EQ(w1.wait(1), 0);
    EXPECT_NE(w1.err().find("job_released"), std::string::npos) << w1.err();
    json job;
    for (int i = 0; i < 400; ++i) {
        job = c.get("/jobs/" + id).body;
        if (job["state"] == "succeeded") break;
        std::this_thread::sleep_for(50ms);
    }
    EXPECT_EQ(job["state"], "succeeded") << job.dump();
    EXPECT_EQ(job["attempts"], 1) << "a handed-back run does not count";
    EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), 20.0);
    // w2 logs job_finished just after the queue has its result, which the server may show first: wait for the line.
    for (int i = 0; i < 100 && w2.err().find("job_finished") == std::string::npos; ++i) std::this_thread::sleep_for(50ms);
    EXPECT_NE(w2.err().find("job_finished"), std::string::npos);
}

TEST(ScaleOut, AWorkerRebuildsADicomFolderInputFromTheSharedStore)
{
    if (test::redisServerPath().empty()) GTEST_SKIP() << "redis-server is not installed (apt install redis-server)";
    test::TempDir dir;
    phantom::KneePhantomParams p;
    p.seed = 11;
    p.size = {96, 96, 40}; // big enough for every plate to be measured (the SR has a group for each)
    p.spacing = {0.9, 0.9, 1.5};
    const auto knee = phantom::generateKneePhantom(p);
    test::SyntheticSeries s;
    test::writeSyntheticSeries(knee.image, dir / "dicom", s);
    writeImage(knee.labels.image(), dir / "truth.nii.gz");
    test::RedisProcess redis(dir / "redis");
    ASSERT_TRUE(redis.start());
    test::ServerProcess server(dir / "data", {"--queue", redis.url()});
    ASSERT_TRUE(server.start());
    test::ChildProcess w1;
    startWorker(w1, server, redis, "w1");
    RemoteExecutor remote(endpoint(server));
    pipeline::NullProgressSink sink;
    const auto run = remote.run(test::kneeOnGivenLabels(dir / "dicom", dir / "truth.nii.gz", dir / "out"), sink, {});
    ASSERT_EQ(run.status, pipeline::RunStatus::Succeeded) << run.message;
    EXPECT_TRUE(fs::exists(dir / "out/dicom/seg.dcm"));
    EXPECT_TRUE(fs::exists(dir / "out/dicom/sr.dcm"));
    const json prov = json::parse(std::ifstream(dir / "out/provenance.json"));
    EXPECT_EQ(prov["notes"]["dicom"]["series_instance_uid"], s.seriesUid);
    EXPECT_FALSE(prov["notes"]["dicom_export"].contains("error")) << prov["notes"]["dicom_export"].dump();
}

TEST(ScaleOut, UnreachableRedisIsAClearErrorAndExitCode)
{
    test::TempDir dir;
    const std::string url = "redis://127.0.0.1:" + std::to_string(test::freeLoopbackPort());
    test::ServerProcess server(dir / "data", {"--queue", url});
    EXPECT_FALSE(server.start(false));
    EXPECT_EQ(server.exitCode(), kQueueUnavailableExit);
    EXPECT_NE(server.stderrText().find("Cannot reach Redis at " + url), std::string::npos) << server.stderrText();

    test::ChildProcess worker;
    worker.start({STRATA_WORKER_PATH, "--queue", url, "--data", (dir / "data").string(), "--device", "cpu"}, dir / "w");
    EXPECT_EQ(worker.wait(30), kQueueUnavailableExit);
    EXPECT_NE(worker.err().find("Cannot reach Redis at " + url), std::string::npos) << worker.err();

    worker.start({STRATA_WORKER_PATH, "--queue", "http://x", "--data", (dir / "data").string()}, dir / "w");
    EXPECT_EQ(worker.wait(30), 1);
    EXPECT_NE(worker.err().find("is not a Redis URL"), std::string::npos) << worker.err();
}

// strata-server end to end on 127.0.0.1 with the cheap "selftest" pipeline: remote runs with progress and upload
// dedup, job visibility, cancel, resumed and corrupt uploads, kill -9 recovery, HTTPS pinning, the CLI, config
// precedence, fair queueing.
#include "RemoteTestHelpers.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <sstream>

using namespace strata;
using namespace strata::remote;
using namespace strata::test;
using nlohmann::json;
namespace fs = std::filesystem;

TEST(RemoteServer, RunsSelftestRemotelyWithProgressAndSkipsKnownUploads)
{
    test::TempDir dir;
    test::ServerProcess server(dir / "data");
    ASSERT_TRUE(server.start());
    const auto input = writeFile(dir / "input.bin", 300000);
    RemoteExecutor exec(endpoint(server, server.adminToken()));
    RecordingSink sink;
    auto result = exec.run(selftest(input, dir / "out1", {{"steps", 20}, {"step_ms", 20}}), sink, {});
    ASSERT_EQ(result.status, pipeline::RunStatus::Succeeded) << result.message;
    const json out = json::parse(std::ifstream(dir / "out1" / "result.json"));
    EXPECT_EQ(out["sha256"], Sha256::ofPath(input));
    EXPECT_EQ(exec.stats().bytesUploaded, 300000u);
    EXPECT_EQ(result.provenance["executor"], "remote");
    EXPECT_EQ(result.provenance["remote"]["job_id"], exec.stats().jobId);
    EXPECT_EQ(result.provenance["inputs"][0]["path"], fs::absolute(input).string());
    bool sawUpload = false, sawStage = false;
    for (const auto& e : sink.events) {
        sawUpload = sawUpload || e.stageId == "upload";
        sawStage = sawStage || (e.stageId == "hash" && e.stageFraction > 0 && e.stageFraction < 1);
    }
    EXPECT_TRUE(sawUpload);
    EXPECT_TRUE(sawStage);

    // Same input again: nothing is uploaded.
    result = exec.run(selftest(input, dir / "out2"), sink, {});
    ASSERT_EQ(result.status, pipeline::RunStatus::Succeeded) << result.message;
    EXPECT_EQ(exec.stats().bytesUploaded, 0u);

    // A failing run reports the server's message and writes nothing.
    result = exec.run(selftest(input, dir / "out3", {{"fail", true}}), sink, {});
    EXPECT_EQ(result.status, pipeline::RunStatus::Failed);
    EXPECT_NE(result.message.find("on purpose"), std::string::npos) << result.message;
    EXPECT_FALSE(fs::exists(dir / "out3"));

    // List and delete.
    ApiClient c(endpoint(server, server.adminToken()));
    const auto jobs = c.get("/jobs").body;
    ASSERT_EQ(jobs.size(), 3u);
    const std::string id = jobs[0]["id"];
    EXPECT_EQ(c.del("/jobs/" + id).status, 200);
    EXPECT_EQ(c.get("/jobs/" + id).status, 404);
    EXPECT_EQ(c.get("/jobs").body.size(), 2u);
}

TEST(RemoteServer, JobsOfOneTokenAreInvisibleToAnother)
{
    test::TempDir dir;
    test::ServerProcess server(dir / "data");
    ASSERT_TRUE(server.start());
    const auto input = writeFile(dir / "input.bin", 1000);
    std::string alice = server.cli("token create --name alice"), bob = server.cli("token create --name bob");
    alice = alice.substr(0, alice.find('\n'));
    bob = bob.substr(0, bob.find('\n'));
    RemoteExecutor exec(endpoint(server, alice));
    RecordingSink sink;
    ASSERT_EQ(exec.run(selftest(input, dir / "out"), sink, {}).status, pipeline::RunStatus::Succeeded);
    ApiClient b(endpoint(server, bob));
    EXPECT_EQ(b.get("/jobs/" + exec.stats().jobId).status, 404);
    EXPECT_EQ(b.get("/jobs").body.size(), 0u);
    EXPECT_EQ(ApiClient(endpoint(server, server.adminToken())).get("/jobs").body.size(), 1u);
}

TEST(RemoteServer, StopCancelsTheRemoteJobQuickly)
{
    test::TempDir dir;
    test::ServerProcess server(dir / "data");
    ASSERT_TRUE(server.start());
    const auto input = writeFile(dir / "input.bin", 1000);
    RemoteExecutor exec(endpoint(server, server.adminToken()));
    RecordingSink sink;
    std::stop_source stop;
    pipeline::RunResult result;
    std::jthread t([&] { result = exec.run(selftest(input, dir / "out", {{"steps", 400}, {"step_ms", 50}}), sink, stop.get_token()); });
    bool hashing = false;
    for (int i = 0; i < 1200 && !hashing; ++i) { // up to 60 s: a loaded machine (once: not started within 10 s)
        {
            std::lock_guard lock(sink.mutex);
            hashing = !sink.events.empty() && sink.events.back().stageId == "hash";
        }
        if (!hashing) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_TRUE(hashing) << "the job did not start within 60 s";
    const auto t0 = std::chrono::steady_clock::now();
    stop.request_stop();
    t.join();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    EXPECT_EQ(result.status, pipeline::RunStatus::Cancelled) << result.message;
    EXPECT_LT(seconds, 5.0); // about 1 s unloaded (one keep-alive tick + one 50 ms step); CI machines are busy
    EXPECT_FALSE(fs::exists(dir / "out"));
    ApiClient c(endpoint(server, server.adminToken()));
    EXPECT_EQ(waitForState(c, exec.stats().jobId, "cancelled", 10)["state"], "cancelled");
}

TEST(RemoteServer, InterruptedUploadResumesFromWhatArrived)
{
    test::TempDir dir;
    test::ServerProcess server(dir / "data", {"--max-chunk-bytes", "262144"});
    ASSERT_TRUE(server.start());
    const auto input = writeFile(dir / "scan.bin", 1000000, 7);
    const std::string sha = Sha256::ofPath(input);
    std::ifstream in(input, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), {});
    ApiClient c(endpoint(server, server.adminToken()));
    ASSERT_EQ(c.post("/uploads", {{"sha256", sha}, {"size", bytes.size()}}).status, 201);
    ASSERT_EQ(c.put("/uploads/" + sha + "?offset=0", bytes.substr(0, 262144)).status, 200);

    // The connection drops in the middle of the second chunk: what arrived stays.
    {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(static_cast<std::uint16_t>(server.port()));
        ::inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
        ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
        const std::string head = "PUT /api/v1/uploads/" + sha + "?offset=262144 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                                 server.adminToken() + "\r\nContent-Length: 262144\r\n\r\n";
        const std::string body = bytes.substr(262144, 100000);
        ASSERT_GT(::write(fd, head.data(), head.size()), 0);
        ASSERT_GT(::write(fd, body.data(), body.size()), 0);
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        ::close(fd);
    }
    json state;
    for (int i = 0; i < 50; ++i) {
        state = c.get("/uploads/" + sha).body;
        if (state["offset"] == 362144) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_EQ(state["offset"], 362144) << state.dump();
    EXPECT_EQ(state["complete"], false);

    // The client goes on from there and sends only the rest.
    RemoteExecutor exec(endpoint(server, server.adminToken()));
    RecordingSink sink;
    EXPECT_EQ(exec.upload(input, sink, {}), sha);
    EXPECT_EQ(exec.stats().resumedFrom, 362144u);
    EXPECT_EQ(exec.stats().bytesUploaded, 1000000u - 362144u);
    EXPECT_EQ(c.get("/uploads/" + sha).body["complete"], true);
    const auto result = exec.run(selftest(input, dir / "out"), sink, {});
    ASSERT_EQ(result.status, pipeline::RunStatus::Succeeded) << result.message;
    EXPECT_EQ(json::parse(std::ifstream(dir / "out" / "result.json"))["sha256"], sha);
}

TEST(RemoteServer, CorruptUploadIsRejected)
{
    test::TempDir dir;
    test::ServerProcess server(dir / "data");
    ASSERT_TRUE(server.start());
    ApiClient c(endpoint(server, server.adminToken()));
    const std::string sha = Sha256::ofBytes(std::as_bytes(std::span("hello", 5)));
    ASSERT_EQ(c.post("/uploads", {{"sha256", sha}, {"size", 5}}).status, 201);
    const auto r = c.put("/uploads/" + sha, "jello");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body["error"]["code"], "sha256_mismatch");
}

TEST(RemoteServer, KillNineWhileRunningAndQueuedLosesNothing)
{
    test::TempDir dir;
    test::ServerProcess server(dir / "data", {"--workers", "1"});
    ASSERT_TRUE(server.start());
    const std::string token = server.adminToken();
    ApiClient c(endpoint(server, token));
    const auto a = writeFile(dir / "a.bin", 5000, 1), b = writeFile(dir / "b.bin", 6000, 2);
    const std::string shaA = upload(c, a), shaB = upload(c, b);
    const auto ra = c.post("/jobs", {{"pipeline", "selftest"}, {"parameters", {{"steps", 30}, {"step_ms", 100}}},
                                     {"inputs", {{"file", {{"sha256", shaA}, {"name", "a.bin"}}}}}});
    const auto rb = c.post("/jobs", {{"pipeline", "selftest"}, {"parameters", {{"steps", 5}, {"step_ms", 10}}},
                                     {"inputs", {{"file", {{"sha256", shaB}, {"name", "b.bin"}}}}}});
    ASSERT_EQ(ra.status, 202) << ra.body.dump();
    ASSERT_EQ(rb.status, 202);
    const std::string idA = ra.body["id"], idB = rb.body["id"];
    EXPECT_EQ(waitForState(c, idA, "running")["state"], "running");
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    EXPECT_EQ(c.get("/jobs/" + idB).body["state"], "queued");
    server.kill9();

    ASSERT_TRUE(server.start());
    ApiClient c2(endpoint(server, token));
    const json doneA = waitForState(c2, idA, "succeeded", 120);
    const json doneB = waitForState(c2, idB, "succeeded", 120);
    ASSERT_EQ(doneA["state"], "succeeded") << doneA.dump();
    ASSERT_EQ(doneB["state"], "succeeded") << doneB.dump();
    EXPECT_EQ(doneA["attempts"], 2);
    EXPECT_EQ(doneB["attempts"], 1);
    EXPECT_NE(server.stderrText(2).find("job_requeued"), std::string::npos);

    // Results survive a normal restart too, and download intact.
    server.stop();
    ASSERT_TRUE(server.start());
    ApiClient c3(endpoint(server, token));
    std::string got;
    ASSERT_EQ(c3.stream("/jobs/" + idA + "/files/result.json", [&](const char* d, std::size_t n) {
        got.append(d, n);
        return true;
    }), 200);
    EXPECT_EQ(json::parse(got)["sha256"], shaA);
}

TEST(RemoteServer, HttpsWithSelfSignedCertificatePinnedOrTrusted)
{
    test::TempDir dir;
    test::ServerProcess server(dir / "data", {"--self-signed"});
    ASSERT_TRUE(server.start());
    const auto cert = dir / "data" / "tls" / "cert.pem";
    ASSERT_TRUE(fs::exists(cert));
    EXPECT_EQ(fs::status(dir / "data" / "tls" / "key.pem").permissions() & (fs::perms::group_all | fs::perms::others_all),
              fs::perms::none);
    const std::string fingerprint = certificateFingerprint(cert);
    Endpoint e;
    e.url = server.url("https");
    e.token = server.adminToken();

    auto r = testConnection(e); // not trusted by the system store
    EXPECT_EQ(r.problem, RemoteError::Kind::Tls) << r.message;
    EXPECT_NE(r.message.find("not trusted"), std::string::npos) << r.message;

    e.pinnedSha256 = fingerprint;
    r = testConnection(e);
    EXPECT_TRUE(r.ok) << r.message;

    e.pinnedSha256 = std::string(64, 'A');
    r = testConnection(e);
    EXPECT_EQ(r.problem, RemoteError::Kind::TlsPin) << r.message;
    EXPECT_NE(r.message.find(fingerprint), std::string::npos) << r.message;

    e.pinnedSha256.clear();
    e.caCertFile = cert.string();
    r = testConnection(e);
    EXPECT_TRUE(r.ok) << r.message;

    // A whole run over HTTPS.
    const auto input = writeFile(dir / "input.bin", 50000);
    RemoteExecutor exec(e);
    RecordingSink sink;
    const auto result = exec.run(selftest(input, dir / "out"), sink, {});
    EXPECT_EQ(result.status, pipeline::RunStatus::Succeeded) << result.message;

    e.url = server.url("http"); // plain HTTP to the HTTPS port
    r = testConnection(e);
    EXPECT_FALSE(r.ok);
}

TEST(RemoteServer, CliRunsAgainstTheServer)
{
    test::TempDir dir;
    test::ServerProcess server(dir / "data");
    ASSERT_TRUE(server.start());
    const auto input = writeFile(dir / "input.bin", 4000);
    auto [code, out] = test::run(std::string(STRATA_CLI_PATH) + " run selftest " + input.string() + " --out " +
                                 (dir / "out").string() + " --server " + server.url() + " --token " + server.adminToken() +
                                 " -p steps=3");
    EXPECT_EQ(code, 0) << out;
    EXPECT_TRUE(fs::exists(dir / "out" / "result.json")) << out;
    std::tie(code, out) = test::run(std::string(STRATA_CLI_PATH) + " run selftest " + input.string() + " --out " +
                                    (dir / "out2").string() + " --server " + server.url() + " --token strata_nope");
    EXPECT_NE(code, 0);
    EXPECT_NE(out.find("refused the token"), std::string::npos) << out;
}

TEST(RemoteServer, ConfigFileAndEnvironmentSetLimitsFlagsWin)
{
    test::TempDir dir;
    test::writeText(dir / "server.toml", "max-upload-mib = 1\nmax-voxels = 1000\n");
    ::setenv("STRATA_SERVER_MAX_CHUNK_BYTES", "4096", 1);
    test::ServerProcess server(dir / "data", {"--config", (dir / "server.toml").string(), "--max-voxels", "2000"});
    const bool started = server.start();
    ::unsetenv("STRATA_SERVER_MAX_CHUNK_BYTES");
    ASSERT_TRUE(started);
    ApiClient c(endpoint(server, server.adminToken()));
    const auto limits = c.get("/version").body["limits"];
    EXPECT_EQ(limits["max_upload_bytes"], 1u << 20);
    EXPECT_EQ(limits["max_chunk_bytes"], 4096u);
    EXPECT_EQ(limits["max_voxels"], 2000u);
    // Structured logs: one JSON object per line.
    std::istringstream lines(server.stderrText());
    int parsed = 0;
    for (std::string line; std::getline(lines, line);) {
        EXPECT_TRUE(json::parse(line, nullptr, false).is_object()) << line;
        ++parsed;
    }
    EXPECT_GT(parsed, 0);
}

// A cohort and its cases' jobs are stored together or not at all (they were separate writes: a crash or a full
// disk between them left a cohort whose jobs did not exist).
TEST(RemoteJobStore, ACohortIsStoredWithAllItsJobsOrNotAtAll)
{
    test::TempDir dir;
    Database db(dir / "jobs.db");
    const auto job = [](const std::string& id) {
        JobRecord j;
        j.id = id;
        j.owner = "alice";
        j.pipeline = "selftest";
        j.state = "queued";
        j.created = unixNow();
        return j;
    };
    db.insertJob(job("taken"));
    CohortRecord cohort;
    cohort.id = "c1";
    cohort.owner = "alice";
    cohort.pipeline = "selftest";
    cohort.cases = json::array({{{"subject", "s1"}, {"job", "first"}}, {{"subject", "s2"}, {"job", "taken"}}});
    cohort.created = unixNow();
    EXPECT_ANY_THROW(db.insertCohort(cohort, {job("first"), job("taken")})); // the second id exists: the write fails
    EXPECT_FALSE(db.cohort("c1"));
    EXPECT_FALSE(db.job("first")) << "a job of a cohort that was not stored";
    cohort.cases = json::array({{{"subject", "s1"}, {"job", "first"}}, {{"subject", "s2"}, {"job", "second"}}});
    db.insertCohort(cohort, {job("first"), job("second")});
    EXPECT_TRUE(db.cohort("c1"));
    EXPECT_TRUE(db.job("first") && db.job("second"));
    EXPECT_EQ(db.countByState("queued"), 3);
}

TEST(RemoteJobStore, QueueIsFairBetweenOwners)
{
    test::TempDir dir;
    Database db(dir / "jobs.db");
    auto add = [&](const std::string& id, const std::string& owner) {
        JobRecord j;
        j.id = id;
        j.owner = owner;
        j.pipeline = "selftest";
        j.state = "queued";
        j.created = unixNow();
        db.insertJob(j);
    };
    add("a1", "alice");
    add("a2", "alice");
    add("a3", "alice");
    add("b1", "bob");
    EXPECT_EQ(db.claimNextQueued()->id, "a1");
    EXPECT_EQ(db.claimNextQueued()->id, "b1"); // alice already runs one: bob goes before her second job
    EXPECT_EQ(db.claimNextQueued()->id, "a2");
    // A crash: running jobs go back to the queue.
    const auto requeued = db.requeueInterrupted(3);
    EXPECT_EQ(requeued.size(), 3u);
    EXPECT_EQ(db.countByState("queued"), 4);
    EXPECT_EQ(db.job("a1")->attempts, 1);
}

// Chaos (issue: hostile input and hard faults): strata-server is killed with SIGKILL at random moments while
// clients upload and submit jobs, 20 times over; afterwards every job the clients saw accepted has finished
// exactly once with a correct bundle, no partial bundle is left and no blob is orphaned.
#include "RemoteTestHelpers.h"

#include <atomic>
#include <iostream>
#include <random>
#include <set>

using namespace strata;
using namespace strata::remote;
using nlohmann::json;
namespace fs = std::filesystem;

TEST(RemoteChaos, KilledTwentyTimesWithJobsFlowingEveryAcceptedJobFinishesOnce)
{
    test::TempDir dir;
    // More attempts than kills: with the default 3, a job hit by three kills in a row is (rightly) failed, which is
    // the attempt limit at work, not what this test is about (exactly once under kills).
    test::ServerProcess server(dir / "data", {"--workers", "2", "--max-attempts", "25"});
    std::mt19937 random(20261206); // reproducible kill moments
    std::uniform_int_distribution<int> killAfterMs(50, 700);
    std::map<std::string, std::string> accepted; // job id -> input sha256
    std::string token;
    int kills = 0, uploadsStarted = 0;
    for (int round = 0; round < 20; ++round) {
        ASSERT_TRUE(server.start()) << "round " << round << ": " << server.stderrText(round + 1);
        if (token.empty()) token = server.adminToken();
        std::atomic<bool> stop{false};
        std::mutex mutex;
        std::thread client([&] {
            ApiClient c(test::endpoint(server, token));
            for (int n = 0; !stop; ++n) {
                try {
                    const auto file = test::writeFile(dir / ("in-" + std::to_string(round) + "-" + std::to_string(n)),
                                                      16384, static_cast<unsigned>(round * 1000 + n + 1));
                    const std::string sha = Sha256::ofPath(file);
                    {
                        std::lock_guard lock(mutex);
                        ++uploadsStarted;
                    }
                    if (c.post("/uploads", {{"sha256", sha}, {"size", 16384}}).status >= 300) continue;
                    std::ifstream in(file, std::ios::binary);
                    const std::string bytes((std::istreambuf_iterator<char>(in)), {});
                    if (c.put("/uploads/" + sha, bytes).status != 200) continue;
                    const auto r = c.post("/jobs", {{"pipeline", "selftest"}, {"parameters", {{"steps", 5}, {"step_ms", 20}}},
                                                    {"inputs", {{"file", {{"sha256", sha}, {"name", "in.bin"}}}}}});
                    if (r.status == 202) {
                        std::lock_guard lock(mutex);
                        accepted[r.body["id"].get<std::string>()] = sha;
                    }
                    std::this_thread::sleep_for(std::chrono::milliseconds(40)); // a queue the 2 workers keep up with
                } catch (const std::exception&) { // the server died under this request: try again after the restart
                    return;
                }
            }
        });
        std::this_thread::sleep_for(std::chrono::milliseconds(killAfterMs(random)));
        server.kill9();
        ++kills;
        stop = true;
        client.join();
    }
    ASSERT_TRUE(server.start());
    ApiClient c(test::endpoint(server, token));
    // Every job the server knows (the accepted ones, and any whose 202 was lost in a kill) ends.
    json jobs;
    const auto t0 = std::chrono::steady_clock::now();
    for (;;) {
        jobs = c.get("/jobs?limit=10000").body;
        const bool busy = std::any_of(jobs.begin(), jobs.end(), [](const json& j) {
            return j["state"] == "queued" || j["state"] == "running";
        });
        if (!busy || std::chrono::steady_clock::now() - t0 > std::chrono::seconds(120)) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    std::cout << "[ figures  ] " << kills << " kills, " << uploadsStarted << " uploads started, " << accepted.size()
              << " jobs accepted, " << jobs.size() << " jobs on the server\n";
    ASSERT_GE(accepted.size(), 20u) << "too few jobs got through to test anything";
    std::map<std::string, json> byId;
    for (const auto& j : jobs) byId[j["id"].get<std::string>()] = j;
    int retried = 0;
    for (const auto& [id, sha] : accepted) {
        ASSERT_TRUE(byId.count(id)) << "accepted job " << id << " is gone";
        const json& j = byId[id];
        ASSERT_EQ(j["state"], "succeeded") << j.dump();
        retried += j["attempts"].get<int>() > 1 ? 1 : 0;
        std::string result;
        ASSERT_EQ(c.stream("/jobs/" + id + "/files/result.json", [&](const char* d, std::size_t n) {
            result.append(d, n);
            return true;
        }), 200);
        EXPECT_EQ(json::parse(result)["sha256"], sha) << id; // the bundle is this job's, complete
    }
    for (const auto& j : jobs) EXPECT_EQ(j["state"], "succeeded") << j.dump();
    std::cout << "[ figures  ] " << retried << " accepted jobs were interrupted by a kill and re-run\n";
    server.stop();
    // No partial bundle is left, and every stored blob is known to the store (and the other way round).
    for (const auto& e : fs::recursive_directory_iterator(dir / "data" / "jobs")) {
        EXPECT_EQ(e.path().filename().string().find(".bundle.partial-"), std::string::npos) << e.path();
    }
    Database db(dir / "data" / "strata.db");
    std::set<std::string> files;
    for (const auto& e : fs::directory_iterator(dir / "data" / "blobs")) {
        files.insert(e.path().filename().string());
        EXPECT_TRUE(db.hasBlob(e.path().filename().string())) << "orphaned blob " << e.path();
    }
    for (const auto& [id, sha] : accepted) EXPECT_TRUE(files.count(sha)) << "job " << id << " lost its input blob";
}

// The window the chaos test once hit (a kill between an upload's rename into blobs/ and its row): the blob file
// the store does not know is removed when the server starts; known blobs stay.
TEST(RemoteChaos, ABlobFileWithoutARowIsRemovedAtStart)
{
    test::TempDir dir;
    test::ServerProcess server(dir / "data");
    ASSERT_TRUE(server.start());
    ApiClient c(endpoint(server, server.adminToken()));
    const std::string known = test::upload(c, test::writeFile(dir / "known.bin", 5000));
    server.stop();
    const fs::path orphan = dir / "data" / "blobs" / std::string(64, 'a');
    test::writeText(orphan, "bytes whose upload was never recorded");
    ASSERT_TRUE(server.start());
    EXPECT_FALSE(fs::exists(orphan));
    EXPECT_TRUE(fs::exists(dir / "data" / "blobs" / known));
}

// Uploads belong to the token that sent them (issue 25, item 6): another token can neither learn that a file is on
// the server, nor run jobs on it, nor disturb a partial upload; it may upload the same bytes itself (stored once).
// Also: a store from before blob owners is migrated, and a bad chunk offset is a 400 naming the field.
#include "RemoteTestHelpers.h"

#include <sqlite3.h>

using namespace strata;
using namespace strata::remote;
using namespace strata::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

std::string newToken(const ServerProcess& server, const std::string& name)
{
    const std::string out = server.cli("token create --name " + name);
    return out.substr(0, out.find('\n'));
}

std::string readAll(const fs::path& file)
{
    std::ifstream in(file, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), {});
}

/// strata-server with two ordinary tokens.
struct AliceAndBob {
    test::TempDir dir;
    test::ServerProcess server{dir / "data"};
    bool started{server.start()};
    ApiClient alice{endpoint(server, newToken(server, "alice"))};
    ApiClient bob{endpoint(server, newToken(server, "bob"))};
};

json selftestJob(const std::string& sha)
{
    return {{"pipeline", "selftest"}, {"inputs", {{"file", {{"sha256", sha}, {"name", "input.bin"}}}}}};
}

} // namespace

TEST(RemoteOwnership, AnotherTokenCannotLearnOrUseAnUploadUntilItSendsTheBytesItself)
{
    AliceAndBob t;
    ASSERT_TRUE(t.started);
    ApiClient &alice = t.alice, &bob = t.bob;
    const auto input = writeFile(t.dir / "input.bin", 5000, 3);
    const std::string sha = upload(alice, input);
    ASSERT_EQ(alice.get("/uploads/" + sha).body["complete"], true);

    // Bob knows the hash: the server answers as if it had never seen the file.
    EXPECT_EQ(bob.get("/uploads/" + sha).status, 404);
    auto r = bob.post("/jobs", selftestJob(sha));
    EXPECT_EQ(r.status, 400) << r.body.dump();
    EXPECT_EQ(r.body["error"]["code"], "unknown_upload");
    r = bob.post("/uploads", {{"sha256", sha}, {"size", 5000}, {"name", "input.bin"}});
    EXPECT_EQ(r.status, 201) << r.body.dump();
    EXPECT_EQ(r.body["complete"], false);
    EXPECT_EQ(r.body["offset"], 0);

    // Alice is not affected; bob sends the bytes and may then use them. They are stored once.
    EXPECT_EQ(alice.post("/jobs", selftestJob(sha)).status, 202);
    r = bob.put("/uploads/" + sha + "?offset=0", readAll(input));
    EXPECT_EQ(r.status, 200) << r.body.dump();
    EXPECT_EQ(r.body["complete"], true);
    r = bob.post("/jobs", selftestJob(sha));
    ASSERT_EQ(r.status, 202) << r.body.dump();
    const json job = waitForState(bob, r.body["id"], "succeeded");
    EXPECT_EQ(job["state"], "succeeded") << job.dump();
    EXPECT_TRUE(fs::exists(t.dir / "data" / "blobs" / sha));
    std::size_t parts = 0;
    for (const auto& e : fs::recursive_directory_iterator(t.dir / "data" / "uploads")) {
        parts += e.path().extension() == ".part" ? 1 : 0;
    }
    EXPECT_EQ(parts, 0u);
    EXPECT_EQ(bob.post("/uploads", {{"sha256", sha}, {"size", 5000}}).body["complete"], true);
}

TEST(RemoteOwnership, AnotherTokenCannotWipeAPartialUpload)
{
    AliceAndBob t;
    ASSERT_TRUE(t.started);
    ApiClient &alice = t.alice, &bob = t.bob;
    const auto input = writeFile(t.dir / "scan.bin", 8000, 5);
    const std::string sha = Sha256::ofPath(input), bytes = readAll(input);
    ASSERT_EQ(alice.post("/uploads", {{"sha256", sha}, {"size", 8000}}).status, 201);
    ASSERT_EQ(alice.put("/uploads/" + sha + "?offset=0", bytes.substr(0, 3000)).status, 200);

    // Bob starts the same hash with another size (which restarts an upload) and sends a few bytes of his own.
    auto r = bob.post("/uploads", {{"sha256", sha}, {"size", 9000}});
    EXPECT_EQ(r.status, 201) << r.body.dump();
    EXPECT_EQ(r.body["offset"], 0);
    EXPECT_EQ(bob.put("/uploads/" + sha + "?offset=0", std::string(100, 'x')).status, 200);
    EXPECT_EQ(bob.get("/uploads/" + sha).body["offset"], 100);

    // Alice resumes where she was.
    r = alice.get("/uploads/" + sha);
    EXPECT_EQ(r.body["offset"], 3000) << r.body.dump();
    EXPECT_EQ(r.body["size"], 8000);
    r = alice.put("/uploads/" + sha + "?offset=3000", bytes.substr(3000));
    EXPECT_EQ(r.status, 200) << r.body.dump();
    EXPECT_EQ(r.body["complete"], true);
    EXPECT_EQ(bob.get("/uploads/" + sha).body["complete"], false);
}

TEST(RemoteOwnership, ChunkOffsetThatIsNotANumberIsA400NamingTheField)
{
    test::TempDir dir;
    test::ServerProcess server(dir / "data");
    ASSERT_TRUE(server.start());
    ApiClient c(endpoint(server, server.adminToken()));
    const std::string sha(64, 'b');
    ASSERT_EQ(c.post("/uploads", {{"sha256", sha}, {"size", 10}}).status, 201);
    for (const std::string offset : {"abc", "-1", "12x", "", "99999999999999999999999"}) {
        const auto r = c.put("/uploads/" + sha + "?offset=" + offset, "0123456789");
        EXPECT_EQ(r.status, 400) << offset << ": " << r.body.dump();
        EXPECT_EQ(r.body["error"]["code"], "bad_request") << offset;
        EXPECT_EQ(r.body["error"]["field"], "offset") << offset;
    }
    EXPECT_EQ(c.get("/uploads/" + sha).body["offset"], 0);
}

TEST(RemoteOwnership, StoreFromBeforeBlobOwnersGivesBlobsToTheTokensWhoseJobsUsedThem)
{
    test::TempDir dir;
    const fs::path file = dir / "strata.db";
    const std::string used(64, 'a'), unused(64, 'c');
    {
        sqlite3* raw = nullptr;
        ASSERT_EQ(sqlite3_open(file.c_str(), &raw), SQLITE_OK);
        const std::string sql =
            "CREATE TABLE blobs(sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL, created INTEGER NOT NULL);"
            "CREATE TABLE jobs(seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, owner TEXT NOT NULL, "
            "pipeline TEXT NOT NULL, state TEXT NOT NULL, message TEXT NOT NULL DEFAULT '', request TEXT NOT NULL, "
            "progress TEXT NOT NULL DEFAULT '{}', files TEXT NOT NULL DEFAULT '[]', attempts INTEGER NOT NULL DEFAULT 0, "
            "cancel_requested INTEGER NOT NULL DEFAULT 0, created INTEGER NOT NULL, started INTEGER NOT NULL DEFAULT 0, "
            "finished INTEGER NOT NULL DEFAULT 0);"
            "INSERT INTO blobs VALUES('" + used + "', 5, 1), ('" + unused + "', 7, 1);"
            "INSERT INTO jobs(id, owner, pipeline, state, request, created) VALUES('j1', 'alice01', 'selftest', "
            "'succeeded', '{\"inputs\":{\"file\":{\"sha256\":\"" + used + "\"}}}', 1);";
        ASSERT_EQ(sqlite3_exec(raw, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(raw);
        sqlite3_close(raw);
    }
    Database db(file);
    EXPECT_TRUE(db.ownsBlob(used, "alice01"));
    EXPECT_FALSE(db.ownsBlob(used, "bob0002"));
    EXPECT_TRUE(db.hasBlob(unused));
    EXPECT_FALSE(db.ownsBlob(unused, "alice01"));
    db.addBlob(unused, 7, "bob0002");
    EXPECT_TRUE(db.ownsBlob(unused, "bob0002"));
    db.removeBlob(unused);
    EXPECT_FALSE(db.ownsBlob(unused, "bob0002"));
    db.addBlob(unused, 7, "alice01"); // the owner row went with the blob: nothing of bob's comes back
    EXPECT_FALSE(db.ownsBlob(unused, "bob0002"));
    EXPECT_TRUE(Database(file).ownsBlob(used, "alice01")); // opening it again changes nothing
}

TEST(RemoteOwnership, RetentionRemovesOldBlobsWithTheirOwnersAndOldPartialUploads)
{
    test::TempDir dir;
    const fs::path data = dir / "data";
    const std::string sha(64, 'd'), partial(64, 'e'), oldLayout(64, 'f');
    fs::create_directories(data / "blobs");
    fs::create_directories(data / "uploads" / "alice01");
    {
        Database db(data / "strata.db");
        db.addBlob(sha, 3, "alice01");
        db.addBlob(sha, 3, "bob0002");
    }
    test::writeText(data / "blobs" / sha, "abc");
    test::writeText(data / "uploads" / "alice01" / (partial + ".part"), "ab");
    test::writeText(data / "uploads" / "alice01" / (partial + ".json"), "{\"size\": 3}");
    test::writeText(data / "uploads" / (oldLayout + ".part"), "ab"); // left by a version without per-token folders
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));

    test::ServerProcess server(data, {"--retention-hours", "0.0001"}); // 0.36 s: everything above is older
    ASSERT_TRUE(server.start());
    for (int i = 0; i < 100 && (fs::exists(data / "uploads" / (oldLayout + ".part")) ||
                                fs::exists(data / "uploads" / "alice01" / (partial + ".json")));
         ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    server.stop();
    EXPECT_FALSE(fs::exists(data / "blobs" / sha));
    EXPECT_FALSE(fs::exists(data / "uploads" / "alice01" / (partial + ".part")));
    EXPECT_FALSE(fs::exists(data / "uploads" / "alice01" / (partial + ".json")));
    EXPECT_FALSE(fs::exists(data / "uploads" / (oldLayout + ".part")));
    Database db(data / "strata.db");
    EXPECT_FALSE(db.hasBlob(sha));
    EXPECT_FALSE(db.ownsBlob(sha, "alice01"));
    EXPECT_FALSE(db.ownsBlob(sha, "bob0002"));
}

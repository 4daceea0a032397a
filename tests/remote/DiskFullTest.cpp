// A disk that fills up while a job runs (issue 23, item 3). strata-server runs in its own user and mount namespace
// (`unshare -rm`) with its data folder's jobs/ on a 1 MiB tmpfs: job outputs meet a real ENOSPC while the database
// and the blob store, on the ordinary disk, keep working. The test fills and frees that tmpfs through
// /proc/<server pid>/root (the server's view of the file system). Skipped where unprivileged user namespaces are
// not allowed (some containers).
#include "RemoteTestHelpers.h"

#include <cstdio>
#include <cstdlib>
#include <iostream>

#include <sys/statvfs.h>

using namespace strata;
using namespace strata::test;
using remote::ApiClient;

namespace {

bool userNamespacesAllowed()
{
    return std::system("unshare -rm sh -c 'mount -t tmpfs -o size=64k tmpfs /mnt' >/dev/null 2>&1") == 0;
}

/// Free bytes of the file system holding `path`.
std::uint64_t freeBytes(const fs::path& path)
{
    struct statvfs s {};
    if (::statvfs(path.c_str(), &s) != 0) return 0;
    return static_cast<std::uint64_t>(s.f_bavail) * s.f_frsize;
}

/// Writes `bytes` into `file` (the file system may refuse the last pieces); returns what was written.
std::uint64_t writeFiller(const fs::path& file, std::uint64_t bytes)
{
    FILE* f = std::fopen(file.c_str(), "wb");
    if (!f) return 0;
    const std::string chunk(4096, 'f');
    std::uint64_t written = 0;
    while (written + chunk.size() <= bytes && std::fwrite(chunk.data(), 1, chunk.size(), f) == chunk.size() &&
           std::fflush(f) == 0) {
        written += chunk.size();
    }
    std::fclose(f);
    return written;
}

json submitPadded(ApiClient& c, const std::string& sha, int padKib)
{
    return c.post("/jobs", {{"pipeline", "selftest"}, {"parameters", {{"steps", 2}, {"step_ms", 10}, {"pad_kib", padKib}}},
                            {"inputs", {{"file", {{"sha256", sha}, {"name", "in.bin"}}}}}})
        .body;
}

} // namespace

TEST(RemoteDiskFull, AJobThatFindsTheDiskFullFailsSayingSoAndTheNextRunsWhenSpaceReturns)
{
    if (!userNamespacesAllowed()) GTEST_SKIP() << "unprivileged user and mount namespaces are not allowed here";
    test::TempDir dir;
    const fs::path data = fs::absolute(dir / "data"), jobs = data / "jobs";
    fs::create_directories(jobs);
    test::ServerProcess server(data, {"--workers", "1"});
    server.setWrapper({"unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=1m tmpfs \"$1\" && shift && exec \"$@\"",
                       "sh", jobs.string()});
    ASSERT_TRUE(server.start()) << server.stderrText();
    const fs::path serverJobs = fs::path("/proc") / std::to_string(server.pid()) / "root" / jobs.relative_path();
    const std::uint64_t room = freeBytes(serverJobs);
    ASSERT_GT(room, 512u * 1024) << "the server's jobs/ should be a fresh 1 MiB tmpfs";
    ASSERT_LE(room, 1024u * 1024) << "the server's jobs/ is not the small tmpfs";

    ApiClient c(endpoint(server, server.adminToken()));
    const std::string sha = upload(c, writeFile(dir / "in.bin", 3000));

    // No room at all: the submission cannot even copy its input into the job's folder. 507, not a 500, and no
    // job (its folder goes too).
    const fs::path filler = serverJobs / "filler";
    writeFiller(filler, room);
    const auto refused = c.post("/jobs", {{"pipeline", "selftest"}, {"inputs", {{"file", {{"sha256", sha}, {"name", "in.bin"}}}}}});
    EXPECT_EQ(refused.status, 507) << refused.body.dump();
    EXPECT_EQ(refused.body["error"].value("code", ""), "insufficient_storage") << refused.body.dump();
    EXPECT_NE(refused.body["error"].value("message", "").find("disk is full"), std::string::npos) << refused.body.dump();
    EXPECT_TRUE(c.get("/jobs").body.empty());
    std::size_t entries = 0;
    for (const auto& e : fs::directory_iterator(serverJobs)) entries += e.path() != filler;
    EXPECT_EQ(entries, 0u) << "a refused submission leaves no job folder";

    // Leave 64 KiB: the input's copy and the small files fit, the job's 512 KiB of padding does not.
    writeFiller(filler, room - 64 * 1024);
    ASSERT_LT(freeBytes(serverJobs), 100u * 1024);
    const json first = submitPadded(c, sha, 512);
    ASSERT_TRUE(first.contains("id")) << first.dump();
    const json failed = waitForState(c, first["id"], "failed");
    ASSERT_EQ(failed.value("state", ""), "failed") << failed.dump();
    const std::string message = failed.value("message", "");
    std::cout << "[ message  ] " << message << '\n';
    EXPECT_NE(message.find("disk full"), std::string::npos) << message;
    EXPECT_EQ(message.find(data.string()), std::string::npos) << "the server's paths stay private: " << message;
    EXPECT_TRUE(failed.value("files", json::array()).empty()) << failed.dump();
    // Nothing partial is left to be served or to fill the disk further.
    for (const auto& e : fs::directory_iterator(serverJobs / first["id"].get<std::string>())) {
        ADD_FAILURE() << "left in the failed job's folder: " << e.path().filename();
    }
    EXPECT_EQ(c.get("/jobs/" + first["id"].get<std::string>() + "/files/result.json").status, 409); // not succeeded
    EXPECT_EQ(c.get("/health").status, 200);

    // Space returns: the same job submitted again runs to the end, without a restart.
    fs::remove(filler);
    const json second = submitPadded(c, sha, 512);
    ASSERT_TRUE(second.contains("id")) << second.dump();
    const json done = waitForState(c, second["id"], "succeeded");
    ASSERT_EQ(done.value("state", ""), "succeeded") << done.dump();
    bool padded = false;
    for (const auto& f : done["files"]) padded = padded || (f["path"] == "padding.bin" && f["size"] == 512 * 1024);
    EXPECT_TRUE(padded) << done["files"].dump();
}

// A disk that fills up while a job runs (issue 23, item 3). strata-server runs in its own user and mount namespace
// (`unshare -rm`) with its data folder's jobs/ on a 1 MiB tmpfs: job outputs meet a real ENOSPC while the database
// and the blob store, on the ordinary disk, keep working. The test fills and frees that tmpfs through
// /proc/<server pid>/root (the server's view of the file system). Skipped where unprivileged user namespaces are
// not allowed (some containers).
#include "RemoteTestHelpers.h"

#include <cstdio>
#include <cstdlib>
#include <iostream>

#include <linux/magic.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>

using namespace strata;
using namespace strata::test;
using remote::ApiClient;

namespace {

bool userNamespacesAllowed()
{
    return std::system("unshare -rm sh -c 'mount -t tmpfs -o size=64k tmpfs /mnt' >/dev/null 2>&1") == 0;
}

/// Whether `path` (seen through /proc/PID/root) is on a tmpfs this process can see: some systems refuse access to
/// another mount namespace's view even of one's own processes.
bool seenAsTmpfs(const fs::path& path)
{
    struct statfs s {};
    return ::statfs(path.c_str(), &s) == 0 && s.f_type == TMPFS_MAGIC;
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
    if (!seenAsTmpfs(serverJobs)) GTEST_SKIP() << "the server's mount cannot be seen through /proc/PID/root here";
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

// The whole data folder full - the job store (SQLite), uploads, blobs and jobs on one 4 MiB tmpfs: new work gets 507
// and nothing half-stored, reads still answer, a job that was running when the disk filled records its end once
// there is room again, and new jobs run - all without a restart.
TEST(RemoteDiskFull, AFullDataDiskRefusesNewWorkKeepsAnsweringAndRecoversWhenSpaceReturns)
{
    if (!userNamespacesAllowed()) GTEST_SKIP() << "unprivileged user and mount namespaces are not allowed here";
    test::TempDir dir;
    const fs::path data = fs::absolute(dir / "data");
    fs::create_directories(data);
    test::ServerProcess server(data, {"--workers", "1"});
    server.setPortFile(fs::absolute(dir / "port"));
    server.setWrapper({"unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=4m tmpfs \"$1\" && shift && exec \"$@\"",
                       "sh", data.string()});
    ASSERT_TRUE(server.start()) << server.stderrText();
    const fs::path serverData = fs::path("/proc") / std::to_string(server.pid()) / "root" / data.relative_path();
    if (!seenAsTmpfs(serverData)) GTEST_SKIP() << "the server's mount cannot be seen through /proc/PID/root here";
    ASSERT_LE(freeBytes(serverData), 4u * 1024 * 1024) << "the server's data folder is not the small tmpfs";

    ApiClient c(endpoint(server, server.adminToken()));
    const std::string sha = upload(c, writeFile(dir / "in.bin", 3000));
    const json before = submitPadded(c, sha, 0);
    ASSERT_EQ(waitForState(c, before["id"], "succeeded").value("state", ""), "succeeded");
    // A job that runs for 4 s while the disk fills.
    const json slow = c.post("/jobs", {{"pipeline", "selftest"}, {"parameters", {{"steps", 40}, {"step_ms", 100}}},
                                       {"inputs", {{"file", {{"sha256", sha}, {"name", "in.bin"}}}}}})
                          .body;
    ASSERT_TRUE(slow.contains("id")) << slow.dump();
    ASSERT_EQ(waitForState(c, slow["id"], "running").value("state", ""), "running");

    const fs::path filler = serverData / "filler";
    writeFiller(filler, freeBytes(serverData));
    ASSERT_LT(freeBytes(serverData), 8u * 1024);
    // New work: 507, nothing stored.
    const auto job = c.post("/jobs", {{"pipeline", "selftest"}, {"inputs", {{"file", {{"sha256", sha}, {"name", "in.bin"}}}}}});
    EXPECT_EQ(job.status, 507) << job.body.dump();
    EXPECT_EQ(job.body["error"].value("code", ""), "insufficient_storage") << job.body.dump();
    const std::string other = "another input";
    const std::string otherSha = Sha256::ofBytes(std::as_bytes(std::span(other.data(), other.size())));
    const auto up = c.post("/uploads", {{"sha256", otherSha}, {"size", other.size()}, {"name", "o.bin"}});
    EXPECT_EQ(up.status, 507) << up.body.dump();
    // Reads still answer; the store holds the two jobs it accepted, no third.
    EXPECT_EQ(c.get("/health").status, 200);
    const auto list = c.get("/jobs");
    EXPECT_EQ(list.status, 200);
    EXPECT_EQ(list.body.size(), 2u) << list.body.dump();
    std::size_t jobFolders = 0;
    for (const auto& e : fs::directory_iterator(serverData / "jobs")) jobFolders += e.is_directory();
    EXPECT_EQ(jobFolders, 2u) << "a refused submission leaves no folder";

    // The slow job ends meanwhile (its result cannot be written, nor its end stored): it is not reported finished
    // before there is room; then it is, as failed on the full disk, and new jobs run.
    std::this_thread::sleep_for(std::chrono::seconds(5));
    EXPECT_EQ(c.get("/jobs/" + slow["id"].get<std::string>()).body.value("state", ""), "running");
    fs::remove(filler);
    const json ended = waitForState(c, slow["id"], "failed", 30);
    ASSERT_EQ(ended.value("state", ""), "failed") << ended.dump();
    EXPECT_NE(ended.value("message", "").find("disk"), std::string::npos) << ended.dump();
    const json after = submitPadded(c, sha, 64);
    ASSERT_TRUE(after.contains("id")) << after.dump();
    EXPECT_EQ(waitForState(c, after["id"], "succeeded").value("state", ""), "succeeded");
}

// Disk full (issue 23): a write that runs out of room fails with one clear error and commits nothing. A file size
// limit (RLIMIT_FSIZE, SIGXFSZ ignored) makes write() fail with EFBIG the way a full disk fails it with ENOSPC.
// The same through a knee run: it fails and leaves no bundle. NIfTI's writer only prints a short write and carries on; without the read-back check a truncated .nii.gz was
// committed as a result.
#include "PipelineRun.h"
#include "TestSupport.h"
#include "strata/Error.h"
#include "strata/ImageIO.h"
#include "strata/phantom/KneePhantom.h"

#include <gtest/gtest.h>

#include <csignal>
#include <sys/resource.h>

using namespace strata;
namespace fs = std::filesystem;

namespace {

/// Lowers this process's file size limit to `bytes` until destroyed (writes past it fail with EFBIG).
class FileSizeLimit {
public:
    explicit FileSizeLimit(rlim_t bytes)
    {
        getrlimit(RLIMIT_FSIZE, &saved_);
        previous_ = std::signal(SIGXFSZ, SIG_IGN);
        rlimit lower = saved_;
        lower.rlim_cur = bytes;
        ok_ = setrlimit(RLIMIT_FSIZE, &lower) == 0;
    }
    ~FileSizeLimit()
    {
        setrlimit(RLIMIT_FSIZE, &saved_);
        std::signal(SIGXFSZ, previous_);
    }
    bool ok() const { return ok_; }

private:
    rlimit saved_{};
    void (*previous_)(int){nullptr};
    bool ok_{false};
};

Image noise(Size3 size)
{
    Image img(size, PixelType::Float32);
    auto px = img.pixels<float>();
    std::uint32_t x = 12345;
    for (auto& v : px) { // incompressible enough that the file needs most of its bytes
        x = x * 1664525u + 1013904223u;
        v = float(x >> 8);
    }
    return img;
}

} // namespace

TEST(DiskFull, AWriteThatRunsOutOfRoomFailsClearlyAndCommitsNothing)
{
    test::TempDir dir;
    const Image img = noise({64, 64, 32}); // 512 KiB of pixels
    for (const char* name : {"out.nii.gz", "out.nii", "out.mha", "out.nrrd"}) {
        const fs::path path = dir / name;
        {
            FileSizeLimit limit(64 * 1024);
            ASSERT_TRUE(limit.ok());
            try {
                writeImage(img, path);
                ADD_FAILURE() << name << ": a 512 KiB image was written under a 64 KiB file size limit";
            } catch (const IoError& e) {
                EXPECT_NE(std::string(e.what()).find("Cannot write"), std::string::npos) << e.what();
            }
        }
        EXPECT_FALSE(fs::exists(path)) << name << ": a truncated file was committed";
        writeImage(img, path); // room again: the same write succeeds
        EXPECT_EQ(readImage(path).size(), img.size()) << name;
    }
    // Nothing of the staging left behind.
    std::size_t left = 0;
    for (const auto& e : fs::directory_iterator(dir.path())) left += e.path().filename().string().find("partial") != std::string::npos;
    EXPECT_EQ(left, 0u);
}

TEST(DiskFull, AKneeRunThatRunsOutOfRoomFailsAndLeavesNoBundle)
{
    test::TempDir dir;
    phantom::KneePhantomParams p;
    p.seed = 3;
    p.size = {96, 96, 64};
    p.spacing = {1.0, 1.0, 1.6};
    const auto c = phantom::generateKneePhantom(p);
    writeImage(c.image, dir / "image.nii.gz");
    writeImage(c.labels.image(), dir / "labels.nii.gz");
    const auto r = test::kneeOnGivenLabels(dir / "image.nii.gz", dir / "labels.nii.gz", dir / "out");
    pipeline::RunResult result;
    {
        FileSizeLimit limit(16 * 1024); // the thickness map and tables need more
        ASSERT_TRUE(limit.ok());
        result = test::runRequest(r);
    }
    EXPECT_EQ(result.status, pipeline::RunStatus::Failed);
    EXPECT_NE(result.message.find("Cannot write"), std::string::npos) << result.message;
    EXPECT_FALSE(fs::exists(dir / "out")) << "a partial bundle was left";
    for (const auto& e : fs::directory_iterator(dir.path()))
        EXPECT_EQ(e.path().filename().string().find("partial"), std::string::npos) << e.path();
    result = test::runRequest(r); // room again
    EXPECT_EQ(result.status, pipeline::RunStatus::Succeeded) << result.message;
}

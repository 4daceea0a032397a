// Every class of bad input gives an IoError that names the file and says why; none crashes or hangs.
#include "TestSupport.h"
#include "strata/Error.h"
#include "strata/ImageIO.h"

#include <gtest/gtest.h>

using namespace strata;
using strata::test::TempDir;

namespace {

/// Expects readImage(path) to throw IoError whose message contains the file name and `reason`.
void expectReadError(const std::filesystem::path& path, const std::string& reason, const ReadLimits& limits = {})
{
    try {
        (void)readImage(path, limits);
        ADD_FAILURE() << "reading " << path << " did not fail";
    } catch (const IoError& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find(path.filename().string()), std::string::npos) << msg;
        EXPECT_NE(msg.find(reason), std::string::npos) << "expected '" << reason << "' in: " << msg;
    }
}

Image sampleVolume()
{
    return test::rampImage<std::int16_t>({64, 64, 32}, {1, 1, 2}, {0, 0, 0}, kIdentity3);
}

} // namespace

TEST(ImageIOBadInput, MissingFile)
{
    expectReadError("/nonexistent/strata/scan.nii.gz", "no such file");
}

TEST(ImageIOBadInput, EmptyFile)
{
    TempDir dir;
    test::writeText(dir / "empty.nii", "");
    expectReadError(dir / "empty.nii", "empty");
}

TEST(ImageIOBadInput, GarbageWithImageExtension)
{
    TempDir dir;
    test::writeText(dir / "garbage.nii", std::string(2000, 'x'));
    expectReadError(dir / "garbage.nii", "Cannot read");
    test::writeText(dir / "garbage.png", "this is not a PNG file at all, just text");
    expectReadError(dir / "garbage.png", "corrupt");
}

TEST(ImageIOBadInput, UnsupportedFileType)
{
    TempDir dir;
    test::writeText(dir / "notes.txt", "hello");
    expectReadError(dir / "notes.txt", "not a recognised image");
}

TEST(ImageIOBadInput, TruncatedNifti)
{
    TempDir dir;
    writeImage(sampleVolume(), dir / "t.nii");
    test::truncateFile(dir / "t.nii", 0.5);
    expectReadError(dir / "t.nii", "Cannot read");
}

TEST(ImageIOBadInput, TruncatedCompressedNifti)
{
    TempDir dir;
    writeImage(sampleVolume(), dir / "t.nii.gz");
    test::truncateFile(dir / "t.nii.gz", 0.5);
    expectReadError(dir / "t.nii.gz", "Cannot read");
}

TEST(ImageIOBadInput, TruncatedNrrdAndMha)
{
    TempDir dir;
    writeImage(sampleVolume(), dir / "t.nrrd");
    test::truncateFile(dir / "t.nrrd", 0.6);
    expectReadError(dir / "t.nrrd", "Cannot read");
    writeImage(sampleVolume(), dir / "t.mha");
    test::truncateFile(dir / "t.mha", 0.6);
    expectReadError(dir / "t.mha", "Cannot read");
}

TEST(ImageIOBadInput, TruncatedPng)
{
    TempDir dir;
    writeImage(test::rampImage<std::uint8_t>({200, 200, 1}, {1, 1, 1}, {0, 0, 0}, kIdentity3), dir / "t.png");
    test::truncateFile(dir / "t.png", 0.3);
    expectReadError(dir / "t.png", "Cannot read");
}

TEST(ImageIOBadInput, AbsurdHeaderSizeIsRefusedBeforeAllocation)
{
    TempDir dir;
    test::writeText(dir / "huge.nhdr",
                    "NRRD0004\ntype: float\ndimension: 3\nsizes: 100000 100000 100000\nencoding: raw\n"
                    "endian: little\ndata file: huge.raw\n");
    test::writeText(dir / "huge.raw", std::string(64, '\0'));
    expectReadError(dir / "huge.nhdr", "more than the limit");
}

TEST(ImageIOBadInput, PhotoDeclaringTenBillionPixelsIsRefusedFromItsHeader)
{
    // 74 bytes: a PNG whose IHDR declares 100000 x 100000 pixels (a decompression bomb). OpenCV would refuse it
    // with "pixels <= CV_IO_MAX_IMAGE_PIXELS"; the user gets the sizes and the limit instead.
    TempDir dir;
    const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
                                 0x00, 0x01, 0x86, 0xa0, 0x00, 0x01, 0x86, 0xa0, 8, 0, 0, 0, 0, 0x5a, 0x9a, 0x2a, 0x1c,
                                 0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82};
    test::writeText(dir / "bomb.png", std::string(reinterpret_cast<const char*>(png), sizeof png));
    expectReadError(dir / "bomb.png", "declares 100000x100000 pixels");
    EXPECT_EQ(readImageSize(dir / "bomb.png"), (Size3{100000, 100000, 1})); // what a server checks its limits with
}

TEST(ImageIOBadInput, HeaderLargerThanConfiguredLimit)
{
    TempDir dir;
    writeImage(sampleVolume(), dir / "v.nrrd");
    ReadLimits tight;
    tight.maxBytes = 1024;
    expectReadError(dir / "v.nrrd", "more than the limit", tight);
}

TEST(ImageIOBadInput, FourDimensionalSeriesIsExplained)
{
    TempDir dir;
    test::writeText(dir / "four.nhdr",
                    "NRRD0004\ntype: short\ndimension: 4\nsizes: 4 4 4 3\nencoding: raw\nendian: little\n"
                    "data file: four.raw\n");
    test::writeText(dir / "four.raw", std::string(4 * 4 * 4 * 3 * 2, '\0'));
    expectReadError(dir / "four.nhdr", "4D series of 3 volumes");
}

TEST(ImageIOBadInput, DirectoryWithoutDicom)
{
    TempDir dir;
    test::writeText(dir / "readme.txt", "no DICOM here");
    expectReadError(dir.path(), "no readable DICOM series");
}

TEST(ImageIOBadInput, WritingFailsCleanly)
{
    TempDir dir;
    const Image vol = sampleVolume();
    EXPECT_THROW(writeImage(vol, "/nonexistent/strata/out.nii"), IoError);
    EXPECT_THROW(writeImage(vol, dir / "out.xyz"), IoError);
    try {
        writeImage(vol, dir / "slice.png");
        ADD_FAILURE() << "3D PNG write did not fail";
    } catch (const IoError& e) {
        EXPECT_NE(std::string(e.what()).find("32 slices"), std::string::npos) << e.what();
    }
    const Image f = test::rampImage<float>({8, 8, 1}, {1, 1, 1}, {0, 0, 0}, kIdentity3);
    EXPECT_THROW(writeImage(f, dir / "float.jpg"), IoError);
    // Nothing partial is left behind by any failed write.
    EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

// Compressed DICOM pixel data that makes GDCM's decoder abort is refused, and the process lives (issue 23).
// Debian's libgdcm keeps its assertions: the dicom_decode fuzzer found that a JPEG baseline fragment of two bytes
// (FF D8) fails one in JPEG8Codec::GetHeaderInfo - and gdcm::ImageReader decodes already while reading a header -
// so one uploaded file aborted the server's worker (or strata-cli, the GUI); then that a codec may corrupt the heap
// without crashing. Compressed files are decoded only in another process (strata-media-decode), into uncompressed
// copies the reader reads (io/DicomChildDecode.h, io/DecodedDicomCopies.h); sizes and laterality come from the
// header alone.
#include "DicomBytes.h"
#include "TestSupport.h"
#include "io/DecodedDicomCopies.h"
#include "io/DicomChildDecode.h"
#include "strata/DicomLaterality.h"
#include "strata/dicom/DicomIdentity.h"
#include "strata/Error.h"
#include "strata/ImageIO.h"
#include "strata/io/DecodeScratch.h"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <string>

using namespace strata;
using namespace strata::test::rawdicom;
using strata::test::TempDir;

namespace {

const std::string kRle = "1.2.840.10008.1.2.5";
const std::string kJpegBaseline = "1.2.840.10008.1.2.4.50";

/// A valid RLE fragment of a 4 x 4 8-bit image holding 0, 10, 20, ..., 150: one segment, one literal run.
std::string rleFragment()
{
    std::string header = le32(1) + le32(64) + std::string(56, '\0');
    std::string run(1, static_cast<char>(15)); // literal run of 16 bytes
    for (int i = 0; i < 16; ++i) run += static_cast<char>(i * 10);
    return header + run;
}

/// A slice of a series (ids and position), for a folder.
std::string sliceIdentity(int k)
{
    return element(8, 0x18, "UI", "1.2.3.4." + std::to_string(k + 1)) + element(8, 0x60, "CS", "MR") +
           element(0x20, 0x0d, "UI", "1.2.3.9") + element(0x20, 0x0e, "UI", "1.2.3.9.1") +
           element(0x20, 0x13, "IS", std::to_string(k + 1)) + element(0x20, 0x32, "DS", "0\\0\\" + std::to_string(k)) +
           element(0x20, 0x37, "DS", "1\\0\\0\\0\\1\\0");
}

std::filesystem::path write(const std::filesystem::path& path, const std::string& bytes)
{
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
}


} // namespace

TEST(DicomDecodeCheck, ACompressedSliceThatDecodesIsRead)
{
    TempDir dir;
    const auto path = write(dir / "rle.dcm", encapsulatedImage(kRle, 4, 4, 8, 1, rleFragment()));
    const Image img = readImage(path);
    ASSERT_EQ(img.size(), (Size3{4, 4, 1}));
    EXPECT_EQ(img.valueAt(0, 0, 0), 0);
    EXPECT_EQ(img.valueAt(1, 1, 0), 50);
    EXPECT_EQ(img.valueAt(3, 3, 0), 150);
    EXPECT_EQ(readImageSize(path), (Size3{4, 4, 1}));
}

TEST(DicomDecodeCheck, AStreamThatKillsTheDecoderIsRefusedAndTheProcessLives)
{
    TempDir dir;
    const auto path = write(dir / "soi.dcm", encapsulatedImage(kJpegBaseline, 20, 24, 8, 1, "\xff\xd8"));
    const std::string what = test::readImageError(path);
    EXPECT_NE(what.find("soi.dcm"), std::string::npos) << what;
    EXPECT_NE(what.find("the decoder crashed on it"), std::string::npos) << what;
    // what the server answers an upload's size from, and the knee pipeline's side: headers only, nothing decoded
    EXPECT_EQ(readImageSize(path), (Size3{24, 20, 1}));
    EXPECT_EQ(readDicomLaterality(path), "");
}

// The decoding process is strata-media-decode, exec'd (no copy of this process's memory, so a codec that reads out
// of bounds reads nothing of ours); a fork of this process only when there is no helper (STRATA_MEDIA_DECODE=in-process).
TEST(DicomDecodeCheck, TheDecoderIsAProgramOfItsOwnAndAForkWithoutIt)
{
    TempDir dir;
    const auto path = write(dir / "rle.dcm", encapsulatedImage(kRle, 4, 4, 8, 1, rleFragment()));
    const auto helper = std::filesystem::path(STRATA_CLI_PATH).parent_path() / "strata-media-decode";
    const auto calls = dir / "calls.txt";
    const auto wrapper = dir / "decoder.sh";
    test::writeText(wrapper, "#!/bin/sh\necho \"$1\" >> '" + calls.string() + "'\nexec '" + helper.string() + "' \"$@\"\n");
    ::chmod(wrapper.c_str(), 0700);
    {
        test::ScopedEnv env("STRATA_MEDIA_DECODE", wrapper.c_str());
        EXPECT_EQ(readImage(path).valueAt(3, 3, 0), 150);
        const std::string soi = test::readImageError(write(dir / "soi.dcm", encapsulatedImage(kJpegBaseline, 20, 24, 8, 1, "\xff\xd8")));
        EXPECT_NE(soi.find("the decoder crashed on it (signal 6)"), std::string::npos) << soi;
    }
    EXPECT_EQ(test::readText(calls), "--dicom-copies\n--dicom-copies\n");
    test::ScopedEnv inProcess("STRATA_MEDIA_DECODE", "in-process");
    EXPECT_EQ(readImage(path).valueAt(3, 3, 0), 150);
    EXPECT_EQ(test::readText(calls), "--dicom-copies\n--dicom-copies\n");
    EXPECT_NE(test::readImageError(dir / "soi.dcm").find("the decoder crashed on it"), std::string::npos);
}

TEST(DicomDecodeCheck, ASeriesWithOneSuchSliceIsRefusedNamingIt)
{
    TempDir dir;
    for (int k = 0; k < 3; ++k) {
        write(dir / ("s" + std::to_string(k) + ".dcm"), encapsulatedImage(kRle, 4, 4, 8, 1, rleFragment(), sliceIdentity(k)));
    }
    const Image ok = readImage(dir.path());
    EXPECT_EQ(ok.size(), (Size3{4, 4, 3}));
    write(dir / "s3.dcm", encapsulatedImage(kJpegBaseline, 4, 4, 8, 1, "\xff\xd8", sliceIdentity(3)));
    const std::string what = test::readImageError(dir.path());
    EXPECT_NE(what.find("s3.dcm"), std::string::npos) << what;
    EXPECT_NE(what.find("the decoder crashed on it"), std::string::npos) << what;
}

TEST(DicomDecodeCheck, ADecoderThatTakesTooLongIsStopped)
{
    TempDir dir;
    const auto path = write(dir / "rle.dcm", encapsulatedImage(kRle, 4, 4, 8, 1, rleFragment()));
    const std::string copy = (dir / "copy.dcm").string();
    EXPECT_NO_THROW(io::writeDecodedDicomCopies({path.string()}, {copy}, "Cannot read x", 1 << 20));
    try {
        io::writeDecodedDicomCopies({path.string()}, {copy}, "Cannot read x", 1 << 20, std::chrono::milliseconds(0));
        FAIL() << "not stopped";
    } catch (const IoError& e) {
        EXPECT_NE(std::string(e.what()).find("took longer than"), std::string::npos) << e.what();
    }
    // native pixel data needs no child
    EXPECT_FALSE(io::hasEncapsulatedPixelData((dir / "none.dcm").string()));
}

TEST(DicomDecodeCheck, AStreamThatDoesNotDecodeIsRefusedWithoutDecodingHere)
{
    // JPEG-LS that is not JPEG-LS: CharLS fails (no crash); GDCM leaks its buffers on that path, so the file is refused
    // from the child's verdict and never decoded by this process
    TempDir dir;
    const auto path = write(dir / "jls.dcm", encapsulatedImage("1.2.840.10008.1.2.4.80", 8, 8, 16, 1,
                                                               std::string("\xff\xd8\xff\xf7\x00\x02garbage!", 14)));
    const std::string what = test::readImageError(path);
    EXPECT_NE(what.find("jls.dcm"), std::string::npos) << what;
    EXPECT_NE(what.find("does not decode"), std::string::npos) << what;
}

TEST(DicomDecodeCheck, TheCopyIsUncompressedKeepsTheRescaleAndGoesWithItsObject)
{
    TempDir dir;
    // slope 2, intercept -5: the copy keeps every element but the pixel data's encoding
    const std::string rescale = element(0x28, 0x1052, "DS", "-5") + element(0x28, 0x1053, "DS", "2");
    const auto path = write(dir / "rle.dcm", encapsulatedImage(kRle, 4, 4, 8, 1, rleFragment(),
                                                               element(8, 0x18, "UI", "1.2.3.4.5"), rescale));
    std::filesystem::path privateCopy;
    {
        const io::DecodedDicomCopies copies(path, "Cannot read x", 1 << 20);
        privateCopy = copies.readable();
        EXPECT_NE(privateCopy, path);
        EXPECT_EQ(privateCopy.filename(), "rle.dcm");
        EXPECT_FALSE(io::hasEncapsulatedPixelData(privateCopy.string()));
        EXPECT_TRUE(std::filesystem::exists(privateCopy));
        EXPECT_EQ(copies.restored("Cannot read '" + privateCopy.string() + "': x"), "Cannot read '" + path.string() + "': x");
    }
    EXPECT_FALSE(std::filesystem::exists(privateCopy.parent_path())); // removed with its object
    const Image img = readImage(path);
    EXPECT_EQ(img.valueAt(0, 0, 0), -5);
    EXPECT_EQ(img.valueAt(3, 3, 0), 295);
    // an uncompressed file is read as it is
    const auto native = write(dir / "native.dcm", nativeImage(4, 4, 8, std::string(16, '\x07')));
    const io::DecodedDicomCopies none(native, "Cannot read x", 1 << 20);
    EXPECT_EQ(none.readable(), native);
}

TEST(DicomDecodeCheck, AFolderMixingCompressedAndNativeSlicesReadsAsOneSeriesWithItsIdentity)
{
    TempDir dir;
    std::string pixels;
    for (int i = 0; i < 16; ++i) pixels += static_cast<char>(i * 10);
    for (int k = 0; k < 4; ++k) {
        const std::string name = "s" + std::to_string(k) + ".dcm";
        write(dir / name, k % 2 ? nativeImage(4, 4, 8, pixels, sliceIdentity(k))
                                : encapsulatedImage(kRle, 4, 4, 8, 1, rleFragment(), sliceIdentity(k)));
    }
    write(dir / "README.txt", "not DICOM");
    dicom::DicomIdentity identity;
    const Image img = readImage(dir.path(), ReadLimits{}, &identity);
    ASSERT_EQ(img.size(), (Size3{4, 4, 4}));
    for (int k = 0; k < 4; ++k) EXPECT_EQ(img.valueAt(3, 3, k), 150) << k;
    ASSERT_EQ(identity.instances.size(), 4u);
    EXPECT_EQ(identity.seriesInstanceUid, "1.2.3.9.1");
    EXPECT_EQ(identity.instances[2].sopInstanceUid, "1.2.3.4.3");
    // the errors name the caller's folder, not the private one
    const std::string what = [&] {
        try {
            (void)readImage(dir.path(), ReadLimits{40});
        } catch (const IoError& e) {
            return std::string(e.what());
        }
        return std::string();
    }();
    EXPECT_NE(what.find(dir.path().string()), std::string::npos) << what;
    EXPECT_EQ(what.find("strata-dicom-"), std::string::npos) << what;
    EXPECT_NE(what.find("limit"), std::string::npos) << what;
}

// A process killed while decoding leaves its private copies; the next server or worker removes those of processes
// that are gone (their id is in the name), and nothing of one that runs.
TEST(DicomDecodeCheck, WhatAKilledProcessLeftIsRemovedByTheNext)
{
    TempDir tmp;
    const auto gone = tmp / "strata-dicom-4194304-abcdef"; // above Linux's largest process id: no such process
    const auto list = tmp / "strata-dicom-list-4194304-ghijkl";
    const auto mine = tmp / ("strata-dicom-" + std::to_string(::getpid()) + "-mnopqr");
    const auto parent = tmp / ("strata-dicom-" + std::to_string(::getppid()) + "-stuvwx");
    const auto other = tmp / "strata-dicom-oldstyle";
    for (const auto& d : {gone, mine, parent, other}) std::filesystem::create_directories(d / "sub");
    test::writeText(gone / "sub" / "copy.dcm", "x");
    test::writeText(list, "a");
    EXPECT_EQ(io::removeStaleDecodeScratch(tmp.path()), 2u);
    EXPECT_FALSE(std::filesystem::exists(gone));
    EXPECT_FALSE(std::filesystem::exists(list));
    for (const auto& d : {mine, parent, other}) EXPECT_TRUE(std::filesystem::exists(d)) << d;
    EXPECT_NE(io::decodeScratchPattern("list").find("strata-dicom-list-" + std::to_string(::getpid()) + "-XXXXXX"),
              std::string::npos);
}

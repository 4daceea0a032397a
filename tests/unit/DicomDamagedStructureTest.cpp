// Damaged DICOM structure is refused before GDCM parses it (issue 23). Debian's libgdcm keeps its assertions: each
// file below aborted the whole process inside GDCM (strata-cli, or the server in the thread that sizes an upload)
// before io/DicomMetaCheck.cpp, found by the dicom_header fuzzer; some first made it allocate gigabytes.
#include "DicomBytes.h"
#include "TestSupport.h"
#include "strata/Error.h"
#include "strata/ImageIO.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <string>

using namespace strata;
using strata::test::TempDir;
using namespace strata::test::rawdicom;

namespace {

/// A valid 4 x 4 MR slice; `samples` and `columnsVr` break it where asked.
std::string slice(unsigned samples = 1, const std::string& columnsVr = "US")
{
    std::string ds = element(8, 0x16, "UI", "1.2.840.10008.5.1.4.1.1.4") + element(8, 0x18, "UI", "1.2.3.4.5") +
                     element(8, 0x60, "CS", "MR") + element(0x20, 0x32, "DS", "0\\0\\0") +
                     element(0x20, 0x37, "DS", "1\\0\\0\\0\\1\\0") + element(0x28, 2, "US", le16(samples)) +
                     element(0x28, 4, "CS", "MONOCHROME2") + element(0x28, 0x10, "US", le16(4)) +
                     element(0x28, 0x11, columnsVr, columnsVr == "US" ? le16(4) : std::string("4 ")) +
                     element(0x28, 0x100, "US", le16(16)) + element(0x28, 0x101, "US", le16(16)) +
                     element(0x28, 0x102, "US", le16(15)) + element(0x28, 0x103, "US", le16(0));
    return meta() + ds + element(0x7fe0, 0x10, "OW", std::string(32, '\x07'));
}

std::filesystem::path write(const TempDir& dir, const std::string& name, const std::string& bytes)
{
    const auto path = dir / name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
}

void expectRefused(const std::filesystem::path& path, const std::string& why)
{
    for (int call = 0; call < 2; ++call) {
        try {
            if (call == 0) (void)readImage(path);
            else (void)readImageSize(path); // what the server answers an upload's size from
            ADD_FAILURE() << path << " was read";
        } catch (const IoError& e) {
            const std::string what = e.what();
            EXPECT_NE(what.find("the DICOM file is damaged"), std::string::npos) << what;
            EXPECT_NE(what.find(why), std::string::npos) << what;
        }
    }
}

} // namespace

TEST(DicomDamagedStructure, TheValidSliceReads)
{
    TempDir dir;
    const Image img = readImage(write(dir, "ok.dcm", slice()));
    EXPECT_EQ(img.size(), (Size3{4, 4, 1}));
    EXPECT_EQ(readImageSize(dir / "ok.dcm"), (Size3{4, 4, 1}));
}

TEST(DicomDamagedStructure, FilesThatAbortedGdcmAreRefused)
{
    TempDir dir;
    // A meta element that claims 3.6 MB in a 300-byte file (GDCM: assertion in FileMetaInformation.cxx).
    std::string metaLie = slice();
    metaLie.replace(132 + 12 + 8, 4, le32(0x00370020));
    expectRefused(write(dir, "meta_lie.dcm", metaLie), "element (0002,0001) declares");
    // Columns written as DS (assertion in gdcmAttribute.h: VR not compatible).
    expectRefused(write(dir, "columns_ds.dcm", slice(1, "DS")), "(0028,0011) is DS, not US");
    // Samples per Pixel 2 (assertion in gdcmPixelFormat.h).
    expectRefused(write(dir, "samples.dcm", slice(2)), "Samples per Pixel is 2");
    // Bits Allocated 16400 (GDCM's RLE decoder asserted on it; the check is the same for every transfer syntax).
    std::string bits = slice();
    bits.replace(bits.find(std::string("\x28\x00\x00\x01US\x02\x00", 8)) + 8, 2, le16(16400));
    expectRefused(write(dir, "bits.dcm", bits), "Bits Allocated is 16400");
    // Cut inside an element's header (assertion in gdcmVR16ExplicitDataElement.txx).
    const std::string whole = slice();
    expectRefused(write(dir, "cut.dcm", whole.substr(0, whole.size() - 32 - 12 + 3)), "the file ends inside");
    // A bare data set of 27 bytes starting with a command element, named .dcm (assertion in ReadCompat).
    expectRefused(write(dir, "bare.dcm", std::string("\0\0\0\0UT", 6) + std::string(21, '\0')), "command element");
    // A bare data set whose first, meta, element is a sequence (assertion in FileMetaInformation.cxx's ReadCompat).
    expectRefused(write(dir, "bare_sq.dcm", le16(2) + le16(0) + "SQ" + std::string(6, '\0') + le16(0) + le16(4) + "SQ" +
                                                std::string(6, '\0')),
                  "is a sequence");
    // An element of a data set that claims 4 GiB, implicit or explicit (GDCM allocated it before reading).
    std::string lie = slice();
    lie.replace(lie.find(std::string("\x08\x00\x18\x00", 4)) + 4, 4, std::string("UT\0\0", 4));
    lie.insert(lie.find(std::string("\x08\x00\x18\x00", 4)) + 8, le32(0xfffffff0u));
    expectRefused(write(dir, "element_lie.dcm", lie), "(0008,0018) declares");
}

TEST(DicomDamagedStructure, DeeplyNestedSequencesAreRefused)
{
    // 40 sequences inside each other (GDCM recurses once per level).
    std::string value;
    for (int i = 0; i < 40; ++i) {
        value = le16(0x0008) + le16(0x1115) + "SQ" + std::string(2, '\0') + le32(0xffffffffu) + le16(0xfffe) +
                le16(0xe000) + le32(0xffffffffu) + value + le16(0xfffe) + le16(0xe00d) + le32(0) + le16(0xfffe) +
                le16(0xe0dd) + le32(0);
    }
    std::string file = slice();
    file.insert(file.find(std::string("\x08\x00\x60\x00", 4)), value);
    TempDir dir;
    expectRefused(write(dir, "nested.dcm", file), "nested deeper than");
}

TEST(DicomDamagedStructure, ADamagedFileInASeriesFolderRefusesTheFolderNamingIt)
{
    TempDir dir;
    std::filesystem::create_directories(dir / "series");
    write(dir, "series/a.dcm", slice());
    write(dir, "series/b.dcm", slice(2));
    for (int call = 0; call < 2; ++call) {
        try {
            if (call == 0) (void)readImage(dir / "series");
            else (void)readImageSize(dir / "series");
            ADD_FAILURE() << "the folder was read";
        } catch (const IoError& e) {
            EXPECT_NE(std::string(e.what()).find("b.dcm"), std::string::npos) << e.what();
        }
    }
}

TEST(DicomDamagedStructure, NoiseInASeriesFolderIsLeftOutNotGivenToGdcm)
{
    // Nine bytes of noise beside a slice: GDCM's series scan guessed an encoding for it and asserted.
    TempDir dir;
    std::filesystem::create_directories(dir / "series");
    write(dir, "series/a.dcm", slice());
    write(dir, "series/readme", std::string("\x00\x3f\x3f\x3f\x3f\x3f\x3f\x4e\x00", 9));
    write(dir, "series/notes.txt", "exported by hand\n");
    EXPECT_EQ(readImageSize(dir / "series"), (Size3{4, 4, 1}));
    EXPECT_EQ(readImage(dir / "series").size(), (Size3{4, 4, 1}));
}

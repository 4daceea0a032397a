// The knee pipeline's side=auto reads Laterality (0020,0060) / Image Laterality (0020,0062) from a DICOM header.
#include "TestSupport.h"
#include "strata/DicomLaterality.h"
#include "strata/ImageIO.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

using namespace strata;

namespace {

void element(std::string& out, std::uint16_t group, std::uint16_t elem, const char* vr, std::string value)
{
    if (value.size() % 2) value += (std::string(vr) == "UI" ? '\0' : ' ');
    auto u16 = [&](std::uint16_t v) { out += static_cast<char>(v & 0xff); out += static_cast<char>(v >> 8); };
    u16(group);
    u16(elem);
    out += vr;
    if (std::string(vr) == "OW" || std::string(vr) == "OB") {
        u16(0);
        const auto n = static_cast<std::uint32_t>(value.size());
        u16(static_cast<std::uint16_t>(n & 0xffff));
        u16(static_cast<std::uint16_t>(n >> 16));
    } else {
        u16(static_cast<std::uint16_t>(value.size()));
    }
    out += value;
}

std::string us(std::uint16_t v)
{
    return {static_cast<char>(v & 0xff), static_cast<char>(v >> 8)};
}

/// A minimal explicit-VR little-endian DICOM file of a 2 x 2 16-bit image, with the given laterality tags.
std::string dicomFile(const std::string& laterality, const std::string& imageLaterality)
{
    std::string meta;
    element(meta, 0x0002, 0x0001, "OB", std::string("\0\1", 2));
    element(meta, 0x0002, 0x0002, "UI", "1.2.840.10008.5.1.4.1.1.4");
    element(meta, 0x0002, 0x0003, "UI", "1.2.3.4.5.6.7");
    element(meta, 0x0002, 0x0010, "UI", "1.2.840.10008.1.2.1");
    std::string out(128, '\0');
    out += "DICM";
    std::string len;
    const auto n = static_cast<std::uint32_t>(meta.size());
    len = {static_cast<char>(n & 0xff), static_cast<char>((n >> 8) & 0xff), static_cast<char>((n >> 16) & 0xff),
           static_cast<char>(n >> 24)};
    element(out, 0x0002, 0x0000, "UL", len);
    out += meta;
    element(out, 0x0008, 0x0016, "UI", "1.2.840.10008.5.1.4.1.1.4");
    element(out, 0x0008, 0x0018, "UI", "1.2.3.4.5.6.7");
    element(out, 0x0008, 0x0060, "CS", "MR");
    if (!laterality.empty()) element(out, 0x0020, 0x0060, "CS", laterality);
    if (!imageLaterality.empty()) element(out, 0x0020, 0x0062, "CS", imageLaterality);
    element(out, 0x0028, 0x0002, "US", us(1));
    element(out, 0x0028, 0x0004, "CS", "MONOCHROME2");
    element(out, 0x0028, 0x0010, "US", us(2));
    element(out, 0x0028, 0x0011, "US", us(2));
    element(out, 0x0028, 0x0100, "US", us(16));
    element(out, 0x0028, 0x0101, "US", us(16));
    element(out, 0x0028, 0x0102, "US", us(15));
    element(out, 0x0028, 0x0103, "US", us(0));
    element(out, 0x7fe0, 0x0010, "OW", std::string(8, '\0'));
    return out;
}

} // namespace

TEST(DicomLaterality, ReadsLateralityThenImageLaterality)
{
    test::TempDir dir;
    test::writeText(dir / "left.dcm", dicomFile("L", ""));
    test::writeText(dir / "right.dcm", dicomFile("", "R"));
    test::writeText(dir / "none.dcm", dicomFile("", ""));
    test::writeText(dir / "both.dcm", dicomFile("B", "")); // bilateral: not one side
    EXPECT_EQ(readDicomLaterality(dir / "left.dcm"), "left");
    EXPECT_EQ(readDicomLaterality(dir / "right.dcm"), "right");
    EXPECT_EQ(readDicomLaterality(dir / "none.dcm"), "");
    EXPECT_EQ(readDicomLaterality(dir / "both.dcm"), "");
    std::filesystem::create_directories(dir / "series");
    test::writeText(dir / "series" / "1.dcm", dicomFile("L", ""));
    EXPECT_EQ(readDicomLaterality(dir / "series"), "left");
    // Not DICOM, missing: no side, no exception.
    writeImage(test::rampImage<std::uint8_t>({8, 8, 8}, {1, 1, 1}, {0, 0, 0}, kIdentity3), dir / "scan.nii.gz");
    EXPECT_EQ(readDicomLaterality(dir / "scan.nii.gz"), "");
    EXPECT_EQ(readDicomLaterality(dir / "missing.dcm"), "");
}

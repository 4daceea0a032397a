#pragma once

// DICOM files built byte by byte for tests and fuzz targets: explicit VR little endian elements, a File Meta
// Information group, and a single-frame image with encapsulated (compressed) pixel data around any fragment bytes.
// Header-only, no GDCM or DCMTK: what a hostile or broken writer could produce, with nothing corrected.
#include <cstdint>
#include <string>
#include <string_view>

namespace strata::test::rawdicom {

inline std::string le16(unsigned v) { return {static_cast<char>(v & 0xff), static_cast<char>((v >> 8) & 0xff)}; }
inline std::string le32(std::uint32_t v) { return le16(v & 0xffff) + le16(v >> 16); }

/// An explicit VR little endian element (long VRs with their reserved field and 32-bit length); odd values padded
/// (UI with NUL, others with a space).
inline std::string element(unsigned group, unsigned elem, const std::string& vr, std::string value)
{
    if (value.size() % 2) value += vr == "UI" ? '\0' : ' ';
    const bool longVr = vr == "OB" || vr == "OW" || vr == "SQ" || vr == "UN" || vr == "UT";
    return le16(group) + le16(elem) + vr +
           (longVr ? std::string(2, '\0') + le32(static_cast<std::uint32_t>(value.size()))
                   : le16(static_cast<unsigned>(value.size()))) +
           value;
}

/// Preamble, "DICM" and the File Meta Information group for `transferSyntax` (MR image storage).
inline std::string meta(const std::string& transferSyntax = "1.2.840.10008.1.2.1",
                        const std::string& sopClass = "1.2.840.10008.5.1.4.1.1.4")
{
    const std::string body = element(2, 1, "OB", std::string("\0\1", 2)) + element(2, 2, "UI", sopClass) +
                             element(2, 3, "UI", "1.2.3.4.5") + element(2, 0x10, "UI", transferSyntax);
    return std::string(128, '\0') + "DICM" + element(2, 0, "UL", le32(static_cast<std::uint32_t>(body.size()))) + body;
}

/// The data set of a secondary-capture image (see encapsulatedImage) up to its pixel data; `rescale`: elements
/// after the image pixel module (0028,1052 and on), in tag order.
inline std::string imageHeader(const std::string& transferSyntax, unsigned rows, unsigned columns, unsigned bits,
                               unsigned samples, const std::string& identity, const std::string& rescale = "")
{
    const std::string sopClass = "1.2.840.10008.5.1.4.1.1.7";
    std::string out = meta(transferSyntax, sopClass);
    out += element(8, 0x16, "UI", sopClass) + identity;
    out += element(0x28, 2, "US", le16(samples)) + element(0x28, 4, "CS", samples == 3 ? "RGB" : "MONOCHROME2");
    if (samples == 3) out += element(0x28, 6, "US", le16(0));
    out += element(0x28, 0x10, "US", le16(rows)) + element(0x28, 0x11, "US", le16(columns));
    out += element(0x28, 0x100, "US", le16(bits > 8 ? 16 : 8)) + element(0x28, 0x101, "US", le16(bits)) +
           element(0x28, 0x102, "US", le16(bits - 1)) + element(0x28, 0x103, "US", le16(0));
    return out + rescale;
}

/// The same image with native pixel data (Explicit VR Little Endian): `pixels` as stored.
inline std::string nativeImage(unsigned rows, unsigned columns, unsigned bits, const std::string& pixels,
                               const std::string& identity = element(8, 0x18, "UI", "1.2.3.4.5"))
{
    return imageHeader("1.2.840.10008.1.2.1", rows, columns, bits, 1, identity) +
           element(0x7fe0, 0x10, bits > 8 ? "OW" : "OB", pixels);
}

/// A secondary-capture image of `rows` x `columns`, `bits` stored (8, 12 or 16), 1 or 3 samples, whose pixel data is
/// encapsulated in `transferSyntax`: an empty basic offset table, one fragment holding `fragment` (padded to an even
/// length), the sequence delimiter. Well formed around the fragment, so a reader reaches the decoder. `identity`:
/// the elements from the SOP Instance UID (0008,0018) up to group 0020 (series UID, position...), in tag order.
inline std::string encapsulatedImage(const std::string& transferSyntax, unsigned rows, unsigned columns, unsigned bits,
                                     unsigned samples, std::string_view fragment,
                                     const std::string& identity = element(8, 0x18, "UI", "1.2.3.4.5"),
                                     const std::string& rescale = "")
{
    std::string out = imageHeader(transferSyntax, rows, columns, bits, samples, identity, rescale);
    std::string frag(fragment);
    if (frag.size() % 2) frag += '\0';
    out += le16(0x7fe0) + le16(0x10) + "OB" + std::string(2, '\0') + le32(0xffffffffu);
    out += le16(0xfffe) + le16(0xe000) + le32(0);                                               // offset table
    out += le16(0xfffe) + le16(0xe000) + le32(static_cast<std::uint32_t>(frag.size())) + frag; // the fragment
    out += le16(0xfffe) + le16(0xe0dd) + le32(0);                                               // delimiter
    return out;
}

} // namespace strata::test::rawdicom

#include "io/DicomMetaCheck.h"

#include "io/TextFiles.h"
#include "strata/Error.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <istream>
#include <string_view>

namespace strata::io {

namespace {

/// The value representations of PS3.5 Table 6.2-1; the second list has a reserved field and a 32-bit length.
constexpr std::array<std::string_view, 34> kVrs{"AE", "AS", "AT", "CS", "DA", "DS", "DT", "FL", "FD", "IS", "LO", "LT",
                                               "OB", "OD", "OF", "OL", "OV", "OW", "PN", "SH", "SL", "SQ", "SS", "ST",
                                               "SV", "TM", "UC", "UI", "UL", "UN", "UR", "US", "UT", "UV"};
constexpr std::array<std::string_view, 13> kLongVrs{"OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV"};

/// Attributes GDCM's image reader takes through gdcm::Attribute, which asserts that the element's VR is the
/// dictionary's (and, for these US values of one number, reads two bytes): their explicit VR and length are checked.
struct TypedAttribute {
    std::uint32_t tag; ///< group in the low half, element in the high half, as read from the file
    std::string_view vr;
};
constexpr std::uint32_t tagOf(std::uint16_t group, std::uint16_t element)
{
    return std::uint32_t{group} | std::uint32_t{element} << 16;
}
constexpr std::array<TypedAttribute, 22> kTypedAttributes{{
    {tagOf(0x0028, 0x0002), "US"}, {tagOf(0x0028, 0x0006), "US"}, {tagOf(0x0028, 0x0010), "US"},
    {tagOf(0x0028, 0x0011), "US"}, {tagOf(0x0028, 0x0100), "US"}, {tagOf(0x0028, 0x0101), "US"},
    {tagOf(0x0028, 0x0102), "US"}, {tagOf(0x0028, 0x0103), "US"}, {tagOf(0x0028, 0x0008), "IS"},
    {tagOf(0x0028, 0x0004), "CS"}, {tagOf(0x0028, 0x0030), "DS"}, {tagOf(0x0028, 0x0034), "IS"},
    {tagOf(0x0020, 0x0032), "DS"}, {tagOf(0x0020, 0x0037), "DS"}, {tagOf(0x0018, 0x0050), "DS"},
    {tagOf(0x0018, 0x0088), "DS"}, {tagOf(0x0028, 0x1050), "DS"}, {tagOf(0x0028, 0x1051), "DS"},
    {tagOf(0x0028, 0x1052), "DS"}, {tagOf(0x0028, 0x1053), "DS"}, {tagOf(0x0008, 0x0016), "UI"},
    {tagOf(0x0008, 0x0060), "CS"},
}};

bool oneOf(std::string_view vr, auto const& list)
{
    for (std::string_view v : list) {
        if (v == vr) return true;
    }
    return false;
}

std::string elementName(std::uint16_t element)
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "(0002,%04x)", element);
    return buf;
}

/// Walks a data set's elements by their lengths only (never allocating what they claim) and says what GDCM would
/// trip over: a length past the end of its container, nesting deeper than kMaxDepth, an item that is not one.
class ElementWalker {
public:
    ElementWalker(std::istream& in, std::uint64_t size, bool explicitVr, bool bigEndian = false)
        : in_(in), size_(size), explicit_(explicitVr), bigEndian_(bigEndian)
    {
    }

    /// Elements from `at` up to `end` (or, when `untilDelimiter`, up to the item delimiter (FFFE,E00D)); stops at
    /// the pixel data (7FE0,0010) at depth 0, whose length DicomFileHeader checks. Empty when sound.
    std::string elements(std::uint64_t& at, std::uint64_t end, int depth, bool untilDelimiter)
    {
        if (depth > kMaxDepth) return "sequences nested deeper than " + std::to_string(kMaxDepth);
        while (at < end) {
            unsigned char h[8];
            if (!read(at, h, 8)) return untilDelimiter ? "an item has no end" : "the file ends inside an element's header";
            const std::uint32_t tag = tagAt(h);
            if (untilDelimiter && tag == kItemDelimiter) {
                at += 8;
                return {};
            }
            if (depth == 0 && tag == kPixelData) { // its value is DicomFileHeader's; its header is checked here
                const std::string_view vr(reinterpret_cast<const char*>(h + 4), 2);
                // GDCM may read the data set explicit where the meta group (or the guess here) was implicit: a VR
                // that is there is held to the explicit rules too.
                const bool explicitHere = explicit_ || oneOf(vr, kVrs);
                if (explicitHere && vr != "OB" && vr != "OW") { // PS3.5 A.1: Pixel Data is OB or OW
                    return "the pixel data has no valid value representation";
                }
                if (explicitHere && (h[6] != 0 || h[7] != 0)) return "the pixel data has a non-zero reserved field";
                unsigned char l[4];
                if (explicitHere && !read(at + 8, l, 4)) return "the file ends inside the pixel data's header";
                return {};
            }
            std::uint64_t length = 0;
            bool sequence = false;
            std::uint64_t next = at + 8;
            if (explicit_ && (tag >> 16) != 0xfffe) {
                const std::string_view vr(reinterpret_cast<const char*>(h + 4), 2);
                if (!oneOf(vr, kVrs)) return "element " + tagName(tag) + " has no valid value representation";
                if (oneOf(vr, kLongVrs)) {
                    unsigned char l[4];
                    if (!read(at + 8, l, 4)) return "element " + tagName(tag) + " is cut short";
                    if (h[6] != 0 || h[7] != 0) return "element " + tagName(tag) + " has a non-zero reserved field";
                    length = u32(l);
                    next = at + 12;
                } else {
                    length = u16(h + 6);
                }
                sequence = vr == "SQ";
                if (sequence && (tag & 0xffff) == 0x0002) return "meta element " + tagName(tag) + " is a sequence";
                for (const TypedAttribute& a : kTypedAttributes) {
                    if (a.tag != tag) continue;
                    if (vr != a.vr) return "element " + tagName(tag) + " is " + std::string(vr) + ", not " + std::string(a.vr);
                    if (a.vr == "US" && length != 2) return "element " + tagName(tag) + " holds " + std::to_string(length) + " bytes, not one number";
                }
            } else {
                length = u32(h + 4);
                for (const TypedAttribute& a : kTypedAttributes) {
                    if (a.tag == tag && a.vr == "US" && length != 2 && (tag >> 16) != 0xfffe) {
                        return "element " + tagName(tag) + " holds " + std::to_string(length) + " bytes, not one number";
                    }
                }
            }
            if (std::string p = pixelFormatProblem(tag, next, length); !p.empty()) return p;
            if ((tag & 0xffff) == 0x0002) { // meta information read as part of a bare data set: GDCM's meta reader
                if (length == kUndefined) return "meta element " + tagName(tag) + " has an undefined length";
                if (length + next >= end) return "the file ends after its meta information";
            }
            if (length == kUndefined) {
                // A sequence (or, in implicit VR, a value GDCM reads as one): items up to the sequence delimiter. An
                // explicit VR element "UN" of undefined length holds implicit VR little endian inside (PS3.5 6.2.2).
                at = next;
                const bool wasExplicit = explicit_;
                if (explicit_ && std::string_view(reinterpret_cast<const char*>(h + 4), 2) == "UN") explicit_ = false;
                std::string p = items(at, end, depth + 1, true);
                explicit_ = wasExplicit;
                if (!p.empty()) return p;
                continue;
            }
            if (length > end - std::min(end, next)) {
                return "element " + tagName(tag) + " declares " + std::to_string(length) + " bytes, " +
                       std::to_string(end - std::min(end, next)) + " are left";
            }
            if (sequence) {
                std::uint64_t inner = next;
                if (std::string p = items(inner, next + length, depth + 1, false); !p.empty()) return p;
            }
            at = next + length;
        }
        return {};
    }

private:
    static constexpr int kMaxDepth = 16;
    static constexpr std::uint32_t kUndefined = 0xffffffffu;
    static constexpr std::uint32_t kItem = 0xe000fffeu;
    static constexpr std::uint32_t kItemDelimiter = 0xe00dfffeu;
    static constexpr std::uint32_t kSequenceDelimiter = 0xe0ddfffeu;
    static constexpr std::uint32_t kPixelData = 0x00107fe0u;

    /// Items of a sequence from `at` up to `end` or, when `untilDelimiter`, the sequence delimiter.
    std::string items(std::uint64_t& at, std::uint64_t end, int depth, bool untilDelimiter)
    {
        if (depth > kMaxDepth) return "sequences nested deeper than " + std::to_string(kMaxDepth);
        while (at < end) {
            unsigned char h[8];
            if (!read(at, h, 8)) return "a sequence has no end";
            const std::uint32_t tag = tagAt(h);
            const std::uint32_t length = u32(h + 4);
            at += 8;
            if (untilDelimiter && tag == kSequenceDelimiter) return {};
            if (tag != kItem) return "a sequence holds " + tagName(tag) + " where an item belongs";
            if (length == kUndefined) {
                if (std::string p = elements(at, size_, depth + 1, true); !p.empty()) return p;
                continue;
            }
            if (length > end - std::min(end, at)) return "an item declares " + std::to_string(length) + " bytes past its sequence";
            if (std::string p = elements(at, at + length, depth + 1, false); !p.empty()) return p;
        }
        return untilDelimiter ? "a sequence has no end" : std::string();
    }

    /// Values GDCM's PixelFormat and codecs assert on (Debian's libgdcm keeps its assertions): Samples per Pixel
    /// other than 1, 3 or 4; Bits Allocated 0 (a Bits Stored above it is then asserted on) or not a size GDCM
    /// decodes; Rows or Columns 0.
    std::string pixelFormatProblem(std::uint32_t tag, std::uint64_t valueAt, std::uint64_t length)
    {
        const bool size = tag == tagOf(0x0028, 0x0010) || tag == tagOf(0x0028, 0x0011);
        if ((tag != tagOf(0x0028, 0x0002) && tag != tagOf(0x0028, 0x0100) && !size) || length != 2) return {};
        unsigned char v[2];
        if (!read(valueAt, v, 2)) return {};
        const unsigned value = u16(v);
        if (tag == tagOf(0x0028, 0x0002) && value != 1 && value != 3 && value != 4) {
            return "Samples per Pixel is " + std::to_string(value) + " (1, 3 or 4)";
        }
        if (size && value == 0) return "Rows or Columns is 0";
        if (tag == tagOf(0x0028, 0x0100)) {
            // What GDCM's pixel format and codecs handle (the bitmask forms it maps to 8, 12, 16 included); another
            // value, e.g. 16400, made its RLE decoder assert.
            for (unsigned ok : {1u, 8u, 12u, 16u, 24u, 32u, 64u, 0xffu, 0xfffu, 0xffffu}) {
                if (value == ok) return {};
            }
            return "Bits Allocated is " + std::to_string(value);
        }
        return {};
    }

    bool read(std::uint64_t at, unsigned char* out, std::size_t n)
    {
        if (at + n > size_) return false;
        in_.clear();
        return static_cast<bool>(in_.seekg(static_cast<std::streamoff>(at)) && in_.read(reinterpret_cast<char*>(out), static_cast<std::streamsize>(n)));
    }

    unsigned u16(const unsigned char* p) const { return bigEndian_ ? (p[0] << 8 | p[1]) : (p[0] | p[1] << 8); }
    std::uint32_t u32(const unsigned char* p) const
    {
        return bigEndian_ ? std::uint32_t{p[3]} | std::uint32_t{p[2]} << 8 | std::uint32_t{p[1]} << 16 | std::uint32_t{p[0]} << 24
                          : std::uint32_t{p[0]} | std::uint32_t{p[1]} << 8 | std::uint32_t{p[2]} << 16 | std::uint32_t{p[3]} << 24;
    }
    /// Group in the low half, element in the high half, as a little endian file has them.
    std::uint32_t tagAt(const unsigned char* p) const { return std::uint32_t{u16(p)} | std::uint32_t{u16(p + 2)} << 16; }

    static std::string tagName(std::uint32_t tag)
    {
        char buf[16];
        std::snprintf(buf, sizeof buf, "(%04x,%04x)", static_cast<unsigned>(tag & 0xffff), static_cast<unsigned>(tag >> 16));
        return buf;
    }

    std::istream& in_;
    std::uint64_t size_;
    bool explicit_;
    bool bigEndian_;
};

} // namespace

std::string dicomMetaProblem(const std::filesystem::path& file, bool withoutPreamble)
{
    std::ifstream in(file, std::ios::binary | std::ios::ate);
    if (!in) return {};
    const std::streamoff size = in.tellg();
    char magic[4] = {};
    if (size < 132 || !in.seekg(128) || !in.read(magic, 4) || std::string_view(magic, 4) != "DICM") {
        if (!withoutPreamble || size < 2) return {};
        // A data set without preamble: GDCM guesses its encoding from the first element (gdcm::FileMetaInformation::
        // ReadCompat); the same guess here, and the same walk. Big endian ones are refused (ACR-NEMA of the 1990s).
        unsigned char h[6] = {0, 0, 0xff, 0xff, 0, 0};
        in.clear();
        if (!in.seekg(0) || !in.read(reinterpret_cast<char*>(h), std::min<std::streamoff>(size, 6))) return {};
        const std::uint16_t group = static_cast<std::uint16_t>(h[0] | h[1] << 8);
        const std::uint16_t element = static_cast<std::uint16_t>(h[2] | h[3] << 8);
        const bool vr = size >= 6 && oneOf(std::string_view(reinterpret_cast<const char*>(h + 4), 2), kVrs);
        const bool taken = group == 0x0000 || group == 0x0800 || group == 0x0002 || group == 0x0008 || (size >= 4 && element == 0x0010) || vr;
        if (!taken) return {}; // GDCM does not take it
        if (size < 8) return "the file is too short to hold a DICOM element"; // GDCM asserts on a cut first element
        if (group == 0x0800 || (vr && (group > 0xff || element > 0xff) && group != 0x0002 && group != 0x0008)) {
            return "big endian data without a DICOM preamble";
        }
        if (group == 0x0000) return "a command element (0000,xxxx) at the start of the file"; // GDCM asserts on it
        ElementWalker walker(in, static_cast<std::uint64_t>(size), vr);
        std::uint64_t position = 0;
        return walker.elements(position, static_cast<std::uint64_t>(size), 0, false);
    }
    std::streamoff at = 132;
    std::string transferSyntax;
    for (int count = 0;; ++count) {
        unsigned char tag[4];
        if (at + 4 > size || !in.seekg(at) || !in.read(reinterpret_cast<char*>(tag), 4)) {
            return count == 0 ? "no elements after the DICM prefix" : "the file ends after its meta information";
        }
        const std::uint16_t group = static_cast<std::uint16_t>(tag[0] | tag[1] << 8);
        const std::uint16_t element = static_cast<std::uint16_t>(tag[2] | tag[3] << 8);
        if (group != 0x0002) { // the data set starts
            if (count == 0) return "no file meta information after the DICM prefix";
            break;
        }
        char vr[2];
        if (at + 8 > size || !in.read(vr, 2)) return "element " + elementName(element) + " is cut short";
        const std::string_view vrName(vr, 2);
        if (!oneOf(vrName, kVrs)) return "element " + elementName(element) + " has no valid value representation";
        if (vrName == "SQ") return "element " + elementName(element) + " is a sequence";
        std::uint64_t length = 0;
        if (oneOf(vrName, kLongVrs)) {
            unsigned char l[6];
            if (at + 12 > size || !in.read(reinterpret_cast<char*>(l), 6)) return "element " + elementName(element) + " is cut short";
            if (l[0] != 0 || l[1] != 0) return "element " + elementName(element) + " has a non-zero reserved field";
            length = std::uint64_t{l[2]} | std::uint64_t{l[3]} << 8 | std::uint64_t{l[4]} << 16 | std::uint64_t{l[5]} << 24;
            if (length == 0xffffffffu) return "element " + elementName(element) + " has an undefined length";
            at += 12;
        } else {
            unsigned char l[2];
            if (!in.read(reinterpret_cast<char*>(l), 2)) return "element " + elementName(element) + " is cut short";
            length = std::uint64_t{l[0]} | std::uint64_t{l[1]} << 8;
            at += 8;
        }
        if (static_cast<std::uint64_t>(size - at) < length) {
            return "element " + elementName(element) + " declares " + std::to_string(length) + " bytes, " +
                   std::to_string(size - at) + " are left in the file";
        }
        if (element == 0x0010 && length < 128) {
            std::string ts(static_cast<std::size_t>(length), '\0');
            if (in.read(ts.data(), static_cast<std::streamsize>(length))) transferSyntax = ts.c_str();
        }
        at += static_cast<std::streamoff>(length);
    }
    // The data set, up to the pixel data, by lengths (a deflated one is left to GDCM).
    while (!transferSyntax.empty() && transferSyntax.back() == ' ') transferSyntax.pop_back();
    if (transferSyntax.empty()) return "no transfer syntax (0002,0010) in the file meta information";
    if (transferSyntax == "1.2.840.10008.1.2.1.99") return {};
    ElementWalker walker(in, static_cast<std::uint64_t>(size), transferSyntax != "1.2.840.10008.1.2",
                         transferSyntax == "1.2.840.10008.1.2.2");
    std::uint64_t position = static_cast<std::uint64_t>(at);
    return walker.elements(position, static_cast<std::uint64_t>(size), 0, false);
}

bool looksLikeDicom(const std::filesystem::path& file)
{
    std::ifstream in(file, std::ios::binary);
    char head[132] = {};
    in.read(head, sizeof head);
    const auto got = in.gcount();
    if (got == 132 && std::string_view(head + 128, 4) == "DICM") return true;
    if (got < 8) return false;
    const unsigned group = static_cast<unsigned char>(head[0]) | static_cast<unsigned char>(head[1]) << 8;
    return group == 0x0002 || group == 0x0008;
}

void refuseDamagedDicomMeta(const std::filesystem::path& file, bool withoutPreamble)
{
    if (const std::string problem = dicomMetaProblem(file, withoutPreamble); !problem.empty()) {
        throw IoError("Cannot read " + quoted(file) + ": the DICOM file is damaged (" + problem + ").");
    }
}

bool hasLongDicomLength(std::string_view vr)
{
    return oneOf(vr, kLongVrs);
}

} // namespace strata::io

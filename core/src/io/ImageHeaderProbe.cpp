#include "io/ImageHeaderProbe.h"

#include <array>
#include <fstream>
#include <vector>

namespace strata::io {

namespace {

std::uint32_t be32(const unsigned char* p) { return (p[0] << 24u) | (p[1] << 16u) | (p[2] << 8u) | p[3]; }
std::uint32_t be16(const unsigned char* p) { return (p[0] << 8u) | p[1]; }
std::uint32_t le32(const unsigned char* p) { return p[0] | (p[1] << 8u) | (p[2] << 16u) | (static_cast<std::uint32_t>(p[3]) << 24u); }
std::uint32_t le16(const unsigned char* p) { return p[0] | (p[1] << 8u); }

std::optional<ImageDimensions> probeJpeg(std::istream& f)
{
    f.seekg(2);
    unsigned char h[9];
    for (int guard = 0; guard < 1000 && f.read(reinterpret_cast<char*>(h), 4); ++guard) {
        if (h[0] != 0xFF) {
            return std::nullopt;
        }
        const unsigned marker = h[1];
        const std::uint32_t len = be16(h + 2);
        const bool sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
        if (sof) {
            if (!f.read(reinterpret_cast<char*>(h), 5)) {
                return std::nullopt;
            }
            return ImageDimensions{be16(h + 3), be16(h + 1)};
        }
        if (len < 2) {
            return std::nullopt;
        }
        f.seekg(len - 2, std::ios::cur);
    }
    return std::nullopt;
}

std::optional<ImageDimensions> probeTiff(std::istream& f, bool little)
{
    auto u16 = [&](const unsigned char* p) { return little ? le16(p) : be16(p); };
    auto u32 = [&](const unsigned char* p) { return little ? le32(p) : be32(p); };
    unsigned char b[12];
    f.seekg(4);
    if (!f.read(reinterpret_cast<char*>(b), 4)) {
        return std::nullopt;
    }
    f.seekg(u32(b));
    if (!f.read(reinterpret_cast<char*>(b), 2)) {
        return std::nullopt;
    }
    const unsigned entries = u16(b);
    ImageDimensions d;
    for (unsigned i = 0; i < entries && i < 4096; ++i) {
        if (!f.read(reinterpret_cast<char*>(b), 12)) {
            return std::nullopt;
        }
        const unsigned tag = u16(b), type = u16(b + 2);
        const std::uint64_t value = type == 3 ? u16(b + 8) : u32(b + 8);
        if (tag == 256) d.width = value;
        if (tag == 257) d.height = value;
    }
    if (d.width == 0 || d.height == 0) {
        return std::nullopt;
    }
    return d;
}

} // namespace

std::optional<ImageDimensions> probeImageDimensions(const std::filesystem::path& path)
{
    std::ifstream f(path, std::ios::binary);
    return f ? probeImageDimensions(f) : std::nullopt;
}

std::optional<ImageDimensions> probeImageDimensions(std::istream& f)
{
    f.seekg(0);
    std::array<unsigned char, 26> h{};
    if (!f || !f.read(reinterpret_cast<char*>(h.data()), h.size())) {
        return std::nullopt;
    }
    static const unsigned char kPng[8]{0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    if (std::equal(std::begin(kPng), std::end(kPng), h.begin())) {
        return ImageDimensions{be32(&h[16]), be32(&h[20])};
    }
    if (h[0] == 0xFF && h[1] == 0xD8) {
        return probeJpeg(f);
    }
    if (h[0] == 'B' && h[1] == 'M') {
        const auto height = static_cast<std::int32_t>(le32(&h[22]));
        return ImageDimensions{le32(&h[18]), static_cast<std::uint64_t>(height < 0 ? -static_cast<std::int64_t>(height) : height)};
    }
    if ((h[0] == 'I' && h[1] == 'I' && h[2] == 42) || (h[0] == 'M' && h[1] == 'M' && h[3] == 42)) {
        return probeTiff(f, h[0] == 'I');
    }
    return std::nullopt;
}

} // namespace strata::io

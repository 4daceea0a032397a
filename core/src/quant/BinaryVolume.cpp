#include "quant/BinaryVolume.h"

#include "strata/Error.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace strata::quant::detail {
namespace {

template <typename Pred> BinaryVolume cutOut(const Image& image, Pred&& selected)
{
    if (image.pixelType() != PixelType::UInt8 || image.components() != 1)
        throw InvalidArgument("Expected a single-component uint8 label image or mask.");
    const auto px = image.pixels<std::uint8_t>();
    const auto& sz = image.size();
    std::array<long, 3> lo{std::numeric_limits<long>::max(), std::numeric_limits<long>::max(),
                           std::numeric_limits<long>::max()};
    std::array<long, 3> hi{-1, -1, -1};
    std::size_t count = 0;
    std::size_t n = 0;
    for (std::size_t k = 0; k < sz[2]; ++k)
        for (std::size_t j = 0; j < sz[1]; ++j)
            for (std::size_t i = 0; i < sz[0]; ++i, ++n) {
                if (!selected(px[n])) continue;
                ++count;
                const std::array<long, 3> p{static_cast<long>(i), static_cast<long>(j), static_cast<long>(k)};
                for (int a = 0; a < 3; ++a) {
                    lo[a] = std::min(lo[a], p[a]);
                    hi[a] = std::max(hi[a], p[a]);
                }
            }
    BinaryVolume v;
    v.spacing = image.spacing();
    if (count == 0) return v;
    v.foregroundCount = count;
    for (int a = 0; a < 3; ++a) {
        v.offset[a] = lo[a] - 1;
        v.size[a] = hi[a] - lo[a] + 3;
    }
    v.inside.assign(static_cast<std::size_t>(v.size[0] * v.size[1] * v.size[2]), 0);
    for (long z = 1; z < v.size[2] - 1; ++z)
        for (long y = 1; y < v.size[1] - 1; ++y) {
            const std::size_t src = image.linearIndex(static_cast<std::size_t>(v.offset[0] + 1),
                                                      static_cast<std::size_t>(v.offset[1] + y),
                                                      static_cast<std::size_t>(v.offset[2] + z));
            std::uint8_t* dst = &v.inside[v.index(1, y, z)];
            for (long x = 0; x < v.size[0] - 2; ++x) dst[x] = selected(px[src + static_cast<std::size_t>(x)]) ? 1 : 0;
        }
    return v;
}

} // namespace

BinaryVolume cutOutLabel(const Image& labels, int label)
{
    return cutOut(labels, [label](std::uint8_t v) { return v == label; });
}

BinaryVolume cutOutMask(const Image& mask)
{
    return cutOut(mask, [](std::uint8_t v) { return v != 0; });
}

BinaryVolume complementAround(const Image& labels, int label, int around, double growMm)
{
    if (labels.pixelType() != PixelType::UInt8 || labels.components() != 1)
        throw InvalidArgument("Expected a single-component uint8 label image.");
    const auto ids = labels.pixels<std::uint8_t>();
    const auto& s = labels.size();
    std::array<long, 3> lo{long(s[0]), long(s[1]), long(s[2])}, hi{-1, -1, -1};
    std::size_t n = 0;
    for (std::size_t k = 0; k < s[2]; ++k)
        for (std::size_t j = 0; j < s[1]; ++j)
            for (std::size_t i = 0; i < s[0]; ++i, ++n) {
                if (ids[n] != around) continue;
                lo = {std::min(lo[0], long(i)), std::min(lo[1], long(j)), std::min(lo[2], long(k))};
                hi = {std::max(hi[0], long(i)), std::max(hi[1], long(j)), std::max(hi[2], long(k))};
            }
    BinaryVolume v;
    v.spacing = labels.spacing();
    if (hi[0] < 0) return v;
    for (std::size_t a = 0; a < 3; ++a) {
        const long grow = static_cast<long>(std::ceil(growMm / labels.spacing()[a])) + 1;
        v.offset[a] = std::max(0L, lo[a] - grow);
        v.size[a] = std::min(long(s[a]) - 1, hi[a] + grow) - v.offset[a] + 1;
    }
    v.inside.assign(static_cast<std::size_t>(v.size[0] * v.size[1] * v.size[2]), 1);
    for (long z = 0; z < v.size[2]; ++z)
        for (long y = 0; y < v.size[1]; ++y)
            for (long x = 0; x < v.size[0]; ++x) {
                const bool isLabel = ids[labels.linearIndex(static_cast<std::size_t>(x + v.offset[0]), static_cast<std::size_t>(y + v.offset[1]),
                                                            static_cast<std::size_t>(z + v.offset[2]))] == label;
                v.inside[v.index(x, y, z)] = isLabel ? 0 : 1;
                v.foregroundCount += isLabel ? 0 : 1;
            }
    return v;
}

} // namespace strata::quant::detail

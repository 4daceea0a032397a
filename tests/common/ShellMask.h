#pragma once

#include "strata/Image.h"

#include <cmath>
#include <cstdint>

namespace strata::test {

/// A spherical shell, inner radius r0 and outer r1 (mm), centred in a grid with the given spacing and a 2 mm
/// margin; the centre is shifted by `shift` (mm) so the shell need not be aligned with the grid. Its true
/// thickness is r1 - r0 everywhere: the reference volume of the thickness tests and benchmarks.
inline Image shellMask(double r0, double r1, Vec3 spacing, Vec3 shift = {0.0, 0.0, 0.0})
{
    const double extent = 2.0 * r1 + 4.0;
    Size3 size{};
    for (std::size_t a = 0; a < 3; ++a) size[a] = static_cast<std::size_t>(std::ceil(extent / spacing[a]));
    Image mask(size, PixelType::UInt8);
    mask.setSpacing(spacing);
    auto px = mask.pixels<std::uint8_t>();
    for (std::size_t k = 0; k < size[2]; ++k)
        for (std::size_t j = 0; j < size[1]; ++j)
            for (std::size_t i = 0; i < size[0]; ++i) {
                const double x = (static_cast<double>(i) + 0.5) * spacing[0] - 0.5 * extent - shift[0];
                const double y = (static_cast<double>(j) + 0.5) * spacing[1] - 0.5 * extent - shift[1];
                const double z = (static_cast<double>(k) + 0.5) * spacing[2] - 0.5 * extent - shift[2];
                const double r = std::sqrt(x * x + y * y + z * z);
                px[mask.linearIndex(i, j, k)] = r >= r0 && r < r1 ? 1 : 0;
            }
    return mask;
}

/// Mean of a Float32 `values` image over the non-zero voxels of `mask` (0 when the mask is empty).
inline double meanInside(const Image& values, const Image& mask)
{
    const auto v = values.pixels<float>();
    const auto m = mask.pixels<std::uint8_t>();
    double sum = 0;
    std::size_t n = 0;
    for (std::size_t i = 0; i < v.size(); ++i)
        if (m[i]) {
            sum += v[i];
            ++n;
        }
    return n ? sum / static_cast<double>(n) : 0.0;
}

} // namespace strata::test

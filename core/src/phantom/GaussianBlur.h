#pragma once

#include <array>
#include <cstddef>
#include <span>

namespace strata::phantom {

/// Separable Gaussian blur of a float volume stored x-fastest, in place, with clamp-to-edge borders.
/// sigmaVoxels is given per axis in voxels (convert from mm with the spacing); axes with a sigma below
/// 0.05 voxel are left alone. Every output value is computed the same way whatever the thread count.
void gaussianBlur3d(std::span<float> volume, const std::array<std::size_t, 3>& size,
                    const std::array<double, 3>& sigmaVoxels, unsigned threads);

} // namespace strata::phantom

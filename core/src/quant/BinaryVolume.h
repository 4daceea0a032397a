#pragma once

#include "strata/Image.h"

#include <cstdint>
#include <vector>

namespace strata::quant::detail {

/// A binary sub-volume cut out of an image: the bounding box of the selected voxels plus a one-voxel
/// margin on every side, so every foreground voxel has background around it (voxels outside the
/// image count as background). `offset` is the image index of the box's voxel (0,0,0), which may be -1.
struct BinaryVolume {
    std::array<long, 3> offset{0, 0, 0};
    std::array<long, 3> size{0, 0, 0};
    Vec3 spacing{1, 1, 1};
    std::vector<std::uint8_t> inside; ///< 1 inside, 0 outside; x fastest.
    std::size_t foregroundCount{0};

    std::size_t index(long x, long y, long z) const
    {
        return static_cast<std::size_t>(x + size[0] * (y + size[1] * z));
    }
    std::size_t voxelCount() const { return inside.size(); }
};

/// Voxels of `labels` (uint8) equal to `label`, cut out with a one-voxel margin. Empty (size 0) if none.
BinaryVolume cutOutLabel(const Image& labels, int label);
/// Voxels of `mask` (uint8) that are non-zero, cut out with a one-voxel margin.
BinaryVolume cutOutMask(const Image& mask);
/// The voxels of `labels` (uint8) that are not `label`, on the bounding box of the voxels equal to `around` grown by
/// `growMm` (kept inside the image). With distanceToBackground it gives every voxel of that box its distance to, and
/// its nearest, voxel of `label`. Empty (size 0) when `around` has no voxel.
BinaryVolume complementAround(const Image& labels, int label, int around, double growMm);

} // namespace strata::quant::detail

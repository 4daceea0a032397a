#pragma once

#include "strata/Image.h"

#include <cstddef>

namespace strata::measure {

/// Hand measurements in the slice views (issue 24): points are continuous voxel indices (voxel centres at whole
/// numbers) of `image`; lengths and angles are measured in patient space (spacing and direction), in mm.

/// Distance between two points, in mm.
[[nodiscard]] double distanceMm(const Image& image, const Vec3& a, const Vec3& b);

/// Angle at `vertex` between the rays to `a` and `b`, in degrees (0..180); 0 when a ray has no length.
[[nodiscard]] double angleDegrees(const Image& image, const Vec3& a, const Vec3& vertex, const Vec3& b);

/// A region of interest on a slice: the rectangle spanned by two corners, or the ellipse inscribed in it.
enum class RoiShape { Rectangle, Ellipse };

/// What lies inside a region drawn on one slice.
struct RoiStatistics {
    std::size_t voxels{0};
    double mean{0.0};
    double sd{0.0}; ///< sample standard deviation (n - 1); 0 for fewer than two voxels
    double min{0.0};
    double max{0.0};
    double areaMm2{0.0};   ///< voxels x in-plane voxel area
    double volumeMm3{0.0}; ///< voxels x voxel volume
};

/// Statistics of the image values (component 0) of the voxels whose centres lie inside the rectangle or the
/// ellipse inscribed in it, spanned by `corner1` and `corner2` on the slice across `sliceAxis` (0..2) through
/// corner1 (its index along sliceAxis is rounded; corner2's is ignored). Voxels outside the image are left out.
[[nodiscard]] RoiStatistics roiStatistics(const Image& image, RoiShape shape, int sliceAxis, const Vec3& corner1,
                                          const Vec3& corner2);

} // namespace strata::measure

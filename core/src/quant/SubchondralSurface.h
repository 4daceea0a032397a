#pragma once

#include "strata/Image.h"

#include <stop_token>
#include <vector>

namespace strata::quant::detail {

/// One triangle of a bone's surface under a cartilage plate.
struct SurfacePatch {
    Vec3 centre{0, 0, 0}; ///< world mm
    Vec3 above{0, 0, 0};  ///< centre of the voxel over it (cartilage, or the hole where it is denuded): its region
    Vec3 normal{0, 0, 0}; ///< unit, out of the bone
    double area{0};       ///< mm^2
    bool covered{false};  ///< cartilage of the plate lies on it (cAB); else it is denuded
    float thickness{0};   ///< local cartilage thickness on it (mm; 0 when denuded or unknown)
};

/// The total subchondral bone area (tAB) of plate `plate` on bone `bone` in `labels` (uint8), as triangles of
/// the bone's marching-cubes surface (pre-smoothed by half a voxel): a triangle belongs to tAB when the first
/// voxel outside the bone along its normal (within 1.5 voxels) is cartilage of the plate (covered, cAB, with
/// that voxel's thickness from `thickness`), or lies in the plate closed morphologically with a ball of
/// `closingRadiusMm` (the plate and its bone closed together, the bone then taken away) and has plate around it
/// in at least 7 of 8 directions along the surface within twice that radius (denuded: a hole in the plate up to
/// about twice the radius across; the direction test drops the strip that the closing adds along the plate's
/// edge where it steps down to bare bone). Triangles facing anything else are not part of tAB. Empty when the
/// plate has no voxel.
std::vector<SurfacePatch> subchondralBoneArea(const Image& labels, const Image& thickness, int plate, int bone,
                                              double closingRadiusMm, std::stop_token stop = {});

} // namespace strata::quant::detail

#pragma once

#include "strata/Image.h"
#include "strata/Progress.h"
#include "strata/quant/Mesh.h"

#include <stop_token>

namespace strata::quant {

/// Settings of marchingCubes.
struct SurfaceOptions {
    /// Gaussian pre-smoothing of the binary mask (sigma in mm, 0 = none) before contouring at 0.5: gives
    /// sub-voxel vertex positions instead of the staircase of edge midpoints.
    double presmoothSigmaMm{0.0};
};

/// Marching cubes on the iso-surface at 0.5 of a binary mask (uint8, non-zero inside), with cube corners
/// at voxel centres and voxels outside the image treated as outside, so the surface is always closed.
/// Each cube's triangles come from a 256-case table built at start-up by walking the cube's faces: on
/// every face the crossing points are joined so that inside corners are separated (the same choice
/// from both cubes sharing the face), which makes the mesh watertight and consistently oriented
/// (no holes from ambiguous faces); a loop that no fan can triangulate without a chord across a cube face
/// is fanned from an added centroid vertex. Vertices are shared between cubes and mapped through the image's
/// origin, spacing and direction into world coordinates (LPS, mm); normals point outwards.
[[nodiscard]] Mesh marchingCubes(const Image& mask, const SurfaceOptions& options = {}, std::stop_token stop = {},
                                 const ProgressFn& progress = {});

} // namespace strata::quant

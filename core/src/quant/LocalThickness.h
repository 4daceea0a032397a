#pragma once

#include "quant/BinaryVolume.h"
#include "strata/Progress.h"
#include "strata/quant/Thickness.h"

#include <stop_token>
#include <vector>

namespace strata::quant::detail {

/// Local thickness over the box of `volume` (0 outside the structure). Reports progress in [lo, hi].
/// If `medial` is given it receives, per box voxel, the diameter D(c) of the ridge (medial) centres and 0
/// elsewhere.
std::vector<float> localThicknessOfVolume(const BinaryVolume& volume, const LocalThicknessOptions& options,
                                          std::stop_token stop, const ProgressFn& progress, double lo, double hi,
                                          std::vector<float>* medial = nullptr);

/// Unit step (one of +-e_x, +-e_y, +-e_z) along the dominant axis of the offset (dx, dy, dz) from a voxel's
/// nearest background voxel to the voxel, pointing away from the background.
std::array<long, 3> ridgeStep(const Vec3& spacing, long dx, long dy, long dz);

/// Diameter D(c) of the sphere at c (see Thickness.h) given the offset (voxels) from its nearest
/// background voxel and the distance d(c + ridgeStep) of the next voxel; shared by the fast and the
/// reference implementation so both give bit-identical values.
double sphereDiameter(const Vec3& spacing, long dx, long dy, long dz, double nextDistance,
                      const LocalThicknessOptions& options);

/// Writes the box values into a Float32 image at the box's position (only where the box is inside it).
void scatterBox(const BinaryVolume& volume, const std::vector<float>& values, Image& out);

} // namespace strata::quant::detail

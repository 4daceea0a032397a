#pragma once

#include "quant/BinaryVolume.h"

#include <array>
#include <vector>

namespace strata::quant::detail {

/// Split factors per axis so that sub-voxels are at most `maxSubvoxelMm` (1 where the voxel already is).
std::array<long, 3> supersampleFactors(const Vec3& spacing, double maxSubvoxelMm);

/// `volume` on a grid f times finer per axis (same box; spacing / f): a sub-voxel is inside where the trilinear
/// interpolation of the 0/1 volume at its centre is >= 0.5, which turns the staircase of a voxelised oblique or
/// curved surface into a smooth surface through the step midpoints. The box keeps background at its border.
BinaryVolume supersample(const BinaryVolume& volume, const std::array<long, 3>& f);

/// Back to the coarse grid of `coarse`: per inside coarse voxel, the mean of `fineValues` over its inside
/// sub-voxels; NaN where none of its sub-voxels is inside (a structure thinner than the smoothing keeps), counted
/// in `missing`.
std::vector<float> averageToCoarse(const BinaryVolume& coarse, const BinaryVolume& fine, const std::array<long, 3>& f,
                                   const std::vector<float>& fineValues, std::size_t& missing);

} // namespace strata::quant::detail

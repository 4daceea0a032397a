#pragma once

#include "quant/BinaryVolume.h"

#include <cstdint>
#include <stop_token>
#include <vector>

namespace strata::quant::detail {

/// Exact Euclidean distance transform with feature transform.
struct DistanceField {
    /// Squared distance (mm^2) from each voxel centre to the nearest background voxel centre (0 on background).
    std::vector<double> dist2;
    /// Box index of that nearest background voxel.
    std::vector<std::uint32_t> nearest;
};

/// Separable exact EDT (Felzenszwalb & Huttenlocher 2012: lower envelope of parabolas per axis) with the
/// voxel spacing as metric, tracking the nearest background voxel. Checks `stop` once per slice per pass.
DistanceField distanceToBackground(const BinaryVolume& volume, std::stop_token stop);

} // namespace strata::quant::detail

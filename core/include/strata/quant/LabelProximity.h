#pragma once

#include "strata/Image.h"

#include <stop_token>

namespace strata::quant {

/// Share (0..1) of the voxels of `label` whose centre lies within `withinMm` of a voxel of `target` (uint8 labels,
/// exact Euclidean distance in mm). 1 when `label` has no voxel; 0 when `target` has none. Used by the knee's
/// quality control: cartilage lies on its bone.
[[nodiscard]] double shareNearLabel(const Image& labels, int label, int target, double withinMm,
                                    std::stop_token stop = {});

} // namespace strata::quant

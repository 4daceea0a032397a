#pragma once

#include "strata/edit/LabelDelta.h"
#include "strata/edit/PaintRule.h"

#include <array>

namespace strata::edit {

/// Flood fill in one slice (across index axis `axis`): the 4-connected region of voxels with the seed's id that the
/// rule allows, from `seed` (voxel index), becomes `value`. Applied to `labels`; returns the change.
LabelDelta floodFill2D(LabelMap& labels, const Image* intensity, const std::array<long, 3>& seed, int axis,
                       std::uint8_t value, const PaintRule& rule = {});

/// Keeps the largest 26-connected component of `label`; its other voxels become 0. Applied; returns the change.
LabelDelta keepLargestComponent(LabelMap& labels, int label);

/// Removes the 26-connected components of `label` smaller than `minVoxels` (they become 0). Applied; returns the change.
LabelDelta removeIslands(LabelMap& labels, int label, std::size_t minVoxels);

} // namespace strata::edit

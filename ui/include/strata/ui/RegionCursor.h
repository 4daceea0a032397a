#pragma once

#include "strata/ui/Dataset.h"

#include <strata/quant/SubregionFrame.h>

#include <array>
#include <optional>
#include <string>

namespace strata::ui {

/// Where to put the cursor to show a cartilage region or subregion ("cMF", "ecMF", "aMT", ...; see
/// quant::SubregionFrame): the voxel of plate label `id` in `region` nearest to the centroid of that region's
/// voxels, so the views cut through the region's cartilage and not the bone inside its curve. nullopt when the
/// region has no voxel.
std::optional<std::array<int, 3>> regionCursor(const Dataset& dataset, int id, const quant::SubregionFrame& frame,
                                               const std::string& region);

} // namespace strata::ui

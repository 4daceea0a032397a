#pragma once

#include "strata/core/LabelMap.h"
#include "strata/core/Progress.h"

#include <stop_token>
#include <vector>

namespace strata::quant {

enum class Connectivity {
    Face6,  ///< voxels sharing a face
    Full26  ///< voxels sharing a face, an edge or a corner
};

struct CleanupOptions {
    /// Labels to clean; empty: every non-zero label present.
    std::vector<int> labels;
    /// Connectivity of a label's components. Background pockets use the complementary one (6 <-> 26),
    /// the usual pairing of digital topology, so a pocket never leaks through a structure's diagonal gaps.
    Connectivity connectivity{Connectivity::Full26};
    bool keepLargestComponent{true};
    bool fillHoles{true};
};

struct CleanupReport {
    std::size_t voxelsRemoved{0}; ///< Voxels of smaller components set to background (0).
    std::size_t voxelsFilled{0};  ///< Background voxels of enclosed pockets given the enclosing label.
};

/// In place, per label: keeps the largest connected component (smaller ones become background 0), then
/// fills holes: every connected pocket of background (0) voxels that does not touch the image border and
/// whose neighbours all carry one cleaned label L becomes L (a pocket between two labels is left alone).
/// Union-find over the whole volume, one pass per step; cancellable between slices.
CleanupReport cleanupLabels(LabelMap& labels, const CleanupOptions& options = {}, std::stop_token stop = {},
                            const ProgressFn& progress = {});

} // namespace strata::quant

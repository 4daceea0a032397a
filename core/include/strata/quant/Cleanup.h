#pragma once

#include "strata/LabelMap.h"
#include "strata/Progress.h"

#include <map>
#include <stop_token>
#include <vector>

namespace strata::quant {

/// Which voxels count as neighbours when connected components are found.
enum class Connectivity {
    Face6,  ///< voxels sharing a face
    Full26  ///< voxels sharing a face, an edge or a corner
};

/// What cleanupLabels (and countLabelComponents) does: which labels, with which connectivity, which component is
/// kept and whether holes are filled.
struct CleanupOptions {
    /// Labels to clean; empty: every non-zero label present.
    std::vector<int> labels;
    /// Connectivity of a label's components. Background pockets use the complementary one (6 <-> 26),
    /// the usual pairing of digital topology, so a pocket never leaks through a structure's diagonal gaps.
    Connectivity connectivity{Connectivity::Full26};
    bool keepLargestComponent{true};
    bool fillHoles{true};
    /// A label whose kept component is chosen by where it lies rather than by its size: the component with the
    /// most voxels within `withinMm` of `anchor` (as the anchor is after its own cleanup) is kept; the largest one
    /// only when no component comes that close. The knee anchors each cartilage plate on its bone: a network
    /// that marks a larger false piece elsewhere (in fat, tendon or fluid) must not make the cleanup throw the
    /// plate away. An anchor should not itself be anchored (it is then taken as it stands before its own cleanup).
    struct Anchor {
        int label{0};
        int anchor{0};
        double withinMm{1.5};
    };
    std::vector<Anchor> anchors;
};

/// A label's connected components as found before the cleanup (with the cleanup's connectivity).
struct LabelComponents {
    std::size_t components{0};
    std::size_t voxels{0};  ///< all voxels of the label
    std::size_t largest{0}; ///< voxels of its largest component
    std::size_t kept{0};    ///< voxels of the component the cleanup kept (the largest unless anchored elsewhere)
    [[nodiscard]] double largestFraction() const
    {
        return voxels ? static_cast<double>(largest) / static_cast<double>(voxels) : 0.0;
    }
};

/// What cleanupLabels changed, and the components each cleaned label had before it.
struct CleanupReport {
    std::size_t voxelsRemoved{0}; ///< Voxels of smaller components set to background (0).
    std::size_t voxelsFilled{0};  ///< Background voxels of enclosed pockets given the enclosing label.
    /// Per cleaned label present (when keepLargestComponent): its components before the cleanup.
    std::map<int, LabelComponents> components;
};

/// In place, per label: keeps the largest connected component (or the anchored choice, see CleanupOptions::anchors;
/// the others become background 0), then
/// fills holes: every connected pocket of background (0) voxels that does not touch the image border and
/// whose neighbours all carry one cleaned label L becomes L (a pocket between two labels is left alone).
/// Union-find over the whole volume, one pass per step; cancellable between slices.
CleanupReport cleanupLabels(LabelMap& labels, const CleanupOptions& options = {}, std::stop_token stop = {},
                            const ProgressFn& progress = {});

/// The connected components of each label options.labels selects (with options.connectivity), as cleanupLabels
/// counts them before it keeps the largest (CleanupReport::components); the labels are not changed.
[[nodiscard]] std::map<int, LabelComponents> countLabelComponents(const LabelMap& labels,
                                                                  const CleanupOptions& options = {},
                                                                  std::stop_token stop = {});

} // namespace strata::quant

#pragma once

#include "strata/LabelMap.h"
#include "strata/Progress.h"

#include <optional>
#include <stop_token>
#include <string>
#include <vector>

namespace strata::quant {

/// How one label of map A agrees with the same label id of map B (two segmentations of one image).
struct LabelAgreement {
    int id{0};
    std::string name; ///< A's table name, else B's, else "label <id>"
    std::size_t voxelsA{0}, voxelsB{0}, voxelsBoth{0};
    double mm3A{0}, mm3B{0};
    /// 2 |A and B| / (|A| + |B|); 0 when the label is in one map only.
    double dice{0};
    /// Mean over the boundary voxels of both maps of the distance (mm) to the other map's boundary (the average
    /// symmetric surface distance); absent when the label is missing from one map (or not asked for).
    std::optional<double> meanSurfaceMm;
    /// The larger of the two directed 95th percentiles of those distances (mm, Hausdorff 95); absent likewise.
    std::optional<double> hausdorff95Mm;

    [[nodiscard]] double differenceMm3() const { return mm3B - mm3A; }
    /// (B - A) / A in percent; absent when A has no voxel of the label.
    [[nodiscard]] std::optional<double> differencePercent() const;
};

/// What compareLabelMaps measures besides Dice and volumes.
struct LabelAgreementOptions {
    /// Surface distances cost two distance transforms per label on the labels' bounding box.
    bool surfaceDistances{true};
};

/// Every label id present in `a` or `b` (background 0 excluded), ordered by id. The maps must share their grid
/// (size, spacing, origin, direction); throws InvalidArgument otherwise. Distances use the voxel spacing (mm) and
/// count a boundary voxel as one with a face neighbour outside its label (or outside the image). Throws Cancelled
/// when `stop` is requested.
[[nodiscard]] std::vector<LabelAgreement> compareLabelMaps(const LabelMap& a, const LabelMap& b,
                                                           const LabelAgreementOptions& options = {},
                                                           std::stop_token stop = {}, const ProgressFn& progress = {});

} // namespace strata::quant

#pragma once

#include "strata/Progress.h"
#include "strata/results/BoneRegistration.h"
#include "strata/results/ResultBundle.h"
#include "strata/results/ThicknessChangeMap.h"
#include "strata/results/TimepointChange.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>
#include <stop_token>
#include <string>
#include <vector>

namespace strata::results {

/// Tolerances of TimepointComparison::run: the bone residual still taken for the same knee and how far the change
/// map looks for follow-up cartilage.
struct ComparisonOptions {
    /// Largest bone residual (mm) accepted as "the same knee"; 0: automatic, max(1 mm, half the coarsest voxel side).
    double maxResidualMm{0.0};
    /// How far from a baseline voxel's carried position the follow-up plate is looked for (mm).
    double searchRadiusMm{3.0};
};

/// Two knee results of one knee compared (issue 19): the change tables (TimepointChange), each bone of the
/// follow-up rigidly aligned to the baseline (BoneRegistration: femur, tibia, patella on their own) with its residual,
/// and the per-voxel thickness change map on the baseline grid (ThicknessChangeMap). Used by `strata-cli change`,
/// cohorts and the GUI's Compare timepoints.
class TimepointComparison {
public:
    std::filesystem::path baselineDir, followupDir;
    std::vector<ChangeRow> rows;
    std::vector<BoneAlignment> alignments;
    ThicknessChangeMap::Result map;
    /// The two bundles as read (metrics, segmentation, thickness; no meshes), for callers that show them.
    std::shared_ptr<const ResultBundle> baseline, followup;
    double residualLimitMm{0};
    double searchRadiusMm{0};

    /// "" when every bone aligned within the limit, else one sentence naming the worst bone and its residual.
    [[nodiscard]] std::string misalignment() const;
    [[nodiscard]] bool aligned() const { return misalignment().empty(); }

    /// Reads both bundles (metrics.json, segmentation.nii.gz, thickness.nii.gz) and compares them. Throws
    /// InvalidArgument naming the problem (not a bundle, no segmentation or thickness map, no cartilage
    /// measurements, different sides, a bone missing), Cancelled when `stop` is requested. Does not refuse a
    /// misaligned pair: callers decide (see misalignment()).
    [[nodiscard]] static TimepointComparison run(const std::filesystem::path& baselineDir,
                                                 const std::filesystem::path& followupDir,
                                                 const ComparisonOptions& options = {}, const ProgressFn& progress = {},
                                                 std::stop_token stop = {});

    /// change.csv, change.json (rows, registration transforms and residuals, map summary, the maps' files),
    /// change_map.nii.gz and maps/<plate>_change.png (knee::writeKneeChangeMaps).
    void write(const std::filesystem::path& dir) const;
    [[nodiscard]] nlohmann::json toJson() const;

    static constexpr const char* kMethod =
        "each timepoint measured on its own segmentation and subregions, then differenced (plates: area-weighted mean "
        "thickness; regions: ThCtAB); change map: follow-up bones rigidly aligned to the baseline one by one (ITK versor "
        "rigid registration of signed distance maps), each baseline cartilage voxel compared with the nearest follow-up "
        "voxel of its plate";
};

} // namespace strata::results

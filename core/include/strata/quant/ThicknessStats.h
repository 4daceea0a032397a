#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <vector>

namespace strata::quant {

/// Summary of the thickness values of one region (mm). Statistics are over the region's voxels.
struct ThicknessStats {
    std::size_t voxels{0};
    double mean{0}, sd{0}, median{0}, p5{0}, p95{0}, min{0}, max{0};
    /// Surface-weighted mean: a patch of area A and thickness t holds about A t / v voxels, so weighting
    /// each voxel by 1/t weights the plate by area: n / sum(1/t), the harmonic mean of the voxel values.
    /// Comparable with thickness averaged over the bone surface (the phantom's ground truth).
    double areaWeightedMean{0};
};

/// Statistics of values (all > 0); zero stats for an empty input.
[[nodiscard]] ThicknessStats thicknessStats(std::vector<float> values);

/// {"voxels", "mean", "sd", "median", "p5", "p95", "min", "max", "area_weighted_mean"}.
[[nodiscard]] nlohmann::json toJson(const ThicknessStats& stats);

} // namespace strata::quant

#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace strata::results {

/// One structure's cartilage at two timepoints: mean thickness (mm) and volume (mm^3).
struct ChangeRow {
    std::string structure; ///< cartilage plate ("medial_tibial_cartilage")
    std::string region;    ///< "" for the whole plate, else a Wirth & Eckstein region or subregion ("cMT", "ecMF")
    double baselineMm{0}, followupMm{0};
    double baselineVolumeMm3{0}, followupVolumeMm3{0};

    [[nodiscard]] double changeMm() const { return followupMm - baselineMm; }
    [[nodiscard]] double changePercent() const { return baselineMm > 0.0 ? 100.0 * changeMm() / baselineMm : 0.0; }
    [[nodiscard]] double volumeChangeMm3() const { return followupVolumeMm3 - baselineVolumeMm3; }
    [[nodiscard]] double volumeChangePercent() const
    {
        return baselineVolumeMm3 > 0.0 ? 100.0 * volumeChangeMm3() / baselineVolumeMm3 : 0.0;
    }
};

/// Cartilage change between two knee results of one knee (issue 19, first part): each timepoint is measured on its
/// own segmentation and its own anatomical subregions (the Wirth & Eckstein frame is fitted per timepoint, so a
/// knee scanned in another position needs no registration for these tables), then differenced. Thickness is the
/// plate's area-weighted mean and each region's ThCtAB (mean over the subchondral bone area, denuded bone as 0).
class TimepointChange {
public:
    /// Rows for the four plates and every region present at both timepoints, from two metrics.json objects.
    /// Throws InvalidArgument naming the problem: a result without cartilage measurements (not a knee result, or
    /// quality control withheld them), or the two results of different knees' sides.
    [[nodiscard]] static std::vector<ChangeRow> compare(const nlohmann::json& baselineMetrics,
                                                        const nlohmann::json& followupMetrics);

    static constexpr const char* kHeader = "structure,region,baseline_mm,followup_mm,change_mm,change_pct,"
                                           "baseline_volume_mm3,followup_volume_mm3,volume_change_mm3,volume_change_pct\n";
    /// CSV lines (no header); `prefix` (e.g. "s01,baseline,month12,") starts every line.
    [[nodiscard]] static std::string csvLines(const std::vector<ChangeRow>& rows, const std::string& prefix = "");
    /// [{structure, region, baseline_mm, followup_mm, change_mm, change_pct, baseline_volume_mm3, ...}, ...]
    [[nodiscard]] static nlohmann::json toJson(const std::vector<ChangeRow>& rows);
};

} // namespace strata::results

#pragma once

#include "strata/ui/Dataset.h"

#include <strata/Progress.h>
#include <strata/results/ReportData.h>
#include <strata/results/TimepointComparison.h>

#include <filesystem>
#include <memory>
#include <stop_token>

namespace strata::ui {

/// Two timepoints of one knee compared and ready to show: the baseline scan with the thickness change map as its
/// overlay, the follow-up scan with its segmentation and thickness, the comparison (bone transforms, tables) and the
/// folder it was written to.
struct TimepointCompare {
    std::shared_ptr<Dataset> baseline;
    std::shared_ptr<Dataset> followup;
    std::shared_ptr<const results::TimepointComparison> comparison;
    results::ChangeSection section;
    std::filesystem::path outDir;

    /// Compares two knee result bundles (results::TimepointComparison), writes the change folder to `outDir` and
    /// loads both scans. Runs on a worker thread (no widgets). Throws strata::Error with the reason (not bundles,
    /// no segmentation, scans gone, ...; a pair whose bones do not align is shown, flagged, not refused).
    static TimepointCompare load(const std::filesystem::path& baselineDir, const std::filesystem::path& followupDir,
                                 const std::filesystem::path& outDir, std::stop_token stop, const ProgressFn& progress = {});

    /// The follow-up position of a baseline world point (the transform of the bone that carries `label`: femur for
    /// femoral structures, patella for patellar, tibia for the rest), and back.
    Vec3 toFollowup(const Vec3& baselineWorld, int label) const;
    Vec3 toBaseline(const Vec3& followupWorld, int label) const;
};

} // namespace strata::ui

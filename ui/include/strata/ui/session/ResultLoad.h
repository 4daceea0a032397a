#pragma once

#include "strata/ui/Dataset.h"

#include <strata/Progress.h>
#include <strata/results/Provenance.h>
#include <strata/results/ReportData.h>
#include <strata/results/ResultBundle.h>

#include <filesystem>
#include <memory>
#include <stop_token>
#include <string>

namespace strata::ui {

/// A result bundle read off the GUI thread, ready to attach to a dataset.
struct LoadedResult {
    std::shared_ptr<const results::ResultBundle> bundle;
    std::shared_ptr<const results::ReportData> report;
    results::Provenance provenance;
    double thicknessMax{0.0};         ///< the thickness map's colour scale top (mm); 0 without a map
    std::shared_ptr<Dataset> dataset; ///< its scan, opened when no open dataset was given and the result needs one
};

/// Reads the bundle in `dir` (provenance, report tables, thickness scale) and, when `haveDataset` is false, the scan
/// it was computed from: always for a segmentation or thickness map (an IoError when it is gone), for a batch result
/// only when its input is one image file. Throws strata::Error, Cancelled.
LoadedResult loadResult(const std::filesystem::path& dir, bool haveDataset, std::stop_token stop, const ProgressFn& progress);

/// The colour scale top for a float32 thickness map: its maximum rounded up to 0.5 mm, at least 0.5; 0 for other maps.
double thicknessScaleTop(const Image& thickness);

/// "HH:MM" in local time for an ISO 8601 time ("2024-05-01T12:34:56Z", with an offset, or local without one);
/// empty when it is not one.
std::string localClockTime(const std::string& iso);

/// The label-map name of a result's segmentation: "AI result knee-mri 14:02" (local time the run finished);
/// "result knee-mri 14:02 (given labels)" when the run measured a segmentation it was given.
std::string resultMapName(const results::Provenance& provenance);

} // namespace strata::ui

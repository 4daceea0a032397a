#pragma once

#include "strata/ui/LabelMapSet.h"

#include <strata/Image.h>
#include <strata/LabelMap.h>
#include <strata/results/ReportData.h>
#include <strata/results/ResultBundle.h>

#include <filesystem>
#include <memory>
#include <string>

namespace strata::ui {

/// One loaded image (immutable once loaded) with its optional label-map overlay and display statistics.
struct Dataset {
    std::string name;
    std::filesystem::path path;
    std::shared_ptr<const Image> image;
    std::shared_ptr<const LabelMap> labels;   ///< the label map shown, may be null (labelMaps' shown entry)
    std::filesystem::path labelsPath;
    /// Every label map of this image (run results, loaded files, edited copies); `labels` and `labelsPath` are the
    /// shown one's. Change them through addLabelMap / showLabelMap.
    LabelMapSet labelMaps;
    std::shared_ptr<const Image> thickness;   ///< float32 thickness map (mm) on the label map's grid, may be null
    double thicknessMax{0.0};                 ///< colour scale top (mm)
    /// The thickness map is a change map (follow-up - baseline, mm): drawn -thicknessMax (blue) .. 0 (white) ..
    /// +thicknessMax (red) wherever it is not 0.
    bool thicknessIsChange{false};
    std::shared_ptr<const results::ResultBundle> result; ///< the analysis shown on this dataset, may be null
    std::shared_ptr<const results::ReportData> report;   ///< its tables, plots and provenance
    double minValue{0.0}, maxValue{1.0};
    double p1{0.0}, p99{1.0};                 ///< 1st and 99th percentiles (auto window)

    /// Adds a label map to labelMaps and shows it (one already there is shown); returns its index.
    int addLabelMap(LabelMapEntry entry);
    /// Shows label map `index` of labelMaps; false when there is none.
    bool showLabelMap(int index);

    /// "256 x 256 x 160", "0.40 x 0.40 x 0.70 mm", "uint16"
    std::string sizeText() const;
    std::string spacingText() const;
    std::string typeText() const;
    /// Opened from a video file: the slices are frames (one view, no patient orientation).
    bool isVideo() const;
    /// False for videos and photographic formats (PNG, JPEG, TIFF, BMP): their axes are not patient axes, so the
    /// views show no orientation letters and are not named axial / coronal / sagittal.
    bool hasPatientAxes() const;
};

} // namespace strata::ui

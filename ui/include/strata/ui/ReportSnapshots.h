#pragma once

#include "strata/ui/Dataset.h"

#include <strata/report/ReportImages.h>

#include <array>

namespace strata::ui {

/// The slice pictures of a report, drawn without a window or GL (SliceRenderer), so the GUI and strata-cli
/// make the same ones: axial, coronal and sagittal through the centre of the focus structure (femoral
/// cartilage for the knee), with the label overlay, at the physical aspect ratio.
class ReportSnapshots {
public:
    static report::ReportImages slices(const Dataset& dataset, int height = 520);
    /// Voxel index (of the image grid) at the centroid of label `id`; the image centre when it is absent.
    static std::array<int, 3> labelCentre(const Dataset& dataset, int id);
    /// The label the snapshots centre on: "femoral_cartilage" if present, else the largest label.
    static int focusLabel(const Dataset& dataset);
};

} // namespace strata::ui

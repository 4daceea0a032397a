#pragma once

#include "strata/ui/Dataset.h"

#include <strata/report/ReportImages.h>

#include <QImage>

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
    /// A 3D view grab cut down to what it shows (plus `margin` pixels): the background is a vertical gradient,
    /// so a pixel is content when it differs from its row's left-most pixel. The report then scales the
    /// model itself, not empty background, to the page.
    static QImage cropToContent(const QImage& image, int margin = 12);
};

} // namespace strata::ui

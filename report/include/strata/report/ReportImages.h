#pragma once

#include <QImage>

namespace strata::report {

/// The pictures of a report: the three slice views with the label overlay and the 3D view coloured by
/// thickness. A null image is left out of the report.
struct ReportImages {
    QImage axial;
    QImage coronal;
    QImage sagittal;
    QImage view3d;
};

} // namespace strata::report

#pragma once

#include <strata/LabelTable.h>
#include <strata/results/ResultTable.h>
#include <strata/results/ThicknessHistogram.h>

#include <QImage>
#include <QSize>

#include <vector>

QT_BEGIN_NAMESPACE
class QChart;
QT_END_NAMESPACE

namespace strata::report {

/// The result plots, as Qt Charts, for the results panel and the report.
class ChartFactory {
public:
    /// Thickness distribution per cartilage plate: one line per plate, % of the plate's voxels per bin.
    static QChart* thicknessHistogram(const std::vector<results::ThicknessHistogram>& histograms, const LabelTable& labels);
    /// 5th percentile, mean and 95th percentile of thickness per subregion (ecMF ... pLT), from the "subregions" table.
    static QChart* regionBars(const results::ResultTable& regions);
    /// Draws `chart` (which keeps its owner) into an image of `size` logical pixels at `scale` device pixels each.
    static QImage render(QChart* chart, QSize size, qreal scale = 2.0);
};

} // namespace strata::report

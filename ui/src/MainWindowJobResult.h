#pragma once

#include "strata/ui/MainWindow.h"
#include "strata/ui/SurfaceInput.h"

#include <QString>

#include <memory>

namespace strata::ui {

/// What a MainWindow worker job hands back to the GUI thread (plain data only).
struct MainWindow::JobResult {
    std::shared_ptr<Dataset> dataset;
    std::shared_ptr<const results::ResultBundle> bundle;
    std::shared_ptr<const results::ReportData> report;
    double thicknessMax{0.0};
    std::shared_ptr<const LabelMap> labels;
    std::shared_ptr<const SurfaceInput> surfaces;
    QString error;
    bool cancelled{false};
};

} // namespace strata::ui

// MainWindow: File > Export result is an ExportController (created with the File menu in MainWindow.cpp); these are
// its entry points for scripts and tests.
#include "strata/ui/MainWindow.h"

#include "strata/ui/ExportController.h"

namespace strata::ui {

bool MainWindow::writeReport(const QString& pdfPath, const QString& htmlPath) { return export_->writeReport(pdfPath, htmlPath); }

bool MainWindow::exportAll(const QString& folder) { return export_->exportAll(folder); }

bool MainWindow::exportDicomObjects(const QString& folder) { return export_->exportDicomObjects(folder); }

} // namespace strata::ui

#pragma once

#include "strata/ui/Dataset.h"

#include <strata/report/ReportImages.h>

#include <QObject>
#include <QString>

#include <array>
#include <functional>
#include <memory>
#include <utility>

class QAction;
class QMenu;
class QWidget;

namespace strata::ui {

class ViewerState;

/// What File > Export result writes.
enum class ExportKind { Segmentation, ThicknessMap, Meshes, Tables, Report, Everything, DicomSegSr };
inline constexpr std::array<ExportKind, 7> kExportKinds{ExportKind::Segmentation, ExportKind::ThicknessMap, ExportKind::Meshes,
                                                        ExportKind::Tables,       ExportKind::Report,       ExportKind::Everything,
                                                        ExportKind::DicomSegSr};

/// File > Export result: asks where (file or folder dialogs in the export folder last used) and writes the current
/// dataset's result through ExportService; reports and "everything" get the window's pictures. The window gives it
/// what it needs as hooks.
class ExportController : public QObject {
    Q_OBJECT
public:
    struct Hooks {
        /// The current dataset when it has a result, else null (after telling the user it has none).
        std::function<std::shared_ptr<Dataset>()> resultDataset;
        /// The report's pictures of the current dataset (slices, the 3D view).
        std::function<report::ReportImages()> reportImages;
        std::function<void(const QString& title, const QString& message)> showError;
        std::function<void(const QString& message, int timeoutMs)> showStatus;
        /// Where file dialogs start before anything was exported.
        std::function<QString()> lastDir;
    };

    ExportController(QWidget* window, ViewerState* state, Hooks hooks);

    /// Fills File > Export result with one action per kind (shortcuts Ctrl+P report, Ctrl+Shift+E everything; the
    /// DICOM SEG and SR action is enabled only when the result shown has them).
    void populateMenu(QMenu* menu);
    QAction* action(ExportKind kind) const { return actions_[static_cast<std::size_t>(kind)]; }
    /// Asks where and exports `kind` of the current result.
    void exportDialog(ExportKind kind);

    /// The current result's report; an empty path skips that format. False (and an error) on failure.
    bool writeReport(const QString& pdfPath, const QString& htmlPath);
    /// Segmentation, thickness, meshes, tables and report into `folder`.
    bool exportAll(const QString& folder);
    /// The result's DICOM SEG and SR into `folder`. False (and an error) when it has none or they cannot be copied.
    bool exportDicomObjects(const QString& folder);

    QString exportDir() const { return exportDir_; }
    void setExportDir(const QString& dir) { exportDir_ = dir; }

private:
    /// The result's report data and the views' images, less what Edit > Preferences leaves out of reports.
    std::pair<results::ReportData, report::ReportImages> trimmedReport(const Dataset& ds) const;

    QWidget* window_;
    ViewerState* state_;
    Hooks hooks_;
    std::array<QAction*, kExportKinds.size()> actions_{};
    QString exportDir_;
};

} // namespace strata::ui

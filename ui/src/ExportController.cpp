// File > Export result (segmentation, thickness map, meshes, tables, report, everything, and the DICOM SEG and SR of a
// result made from a DICOM series) through ExportService.
#include "strata/ui/ExportController.h"

#include "strata/ui/ExportService.h"
#include "strata/ui/Preferences.h"
#include "strata/ui/ViewerState.h"

#include <QAction>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QRegularExpression>
#include <QStringList>
#include <QWidget>

namespace strata::ui {

ExportController::ExportController(QWidget* window, ViewerState* state, Hooks hooks)
    : QObject(window), window_(window), state_(state), hooks_(std::move(hooks))
{
}

void ExportController::populateMenu(QMenu* exp)
{
    const std::pair<QString, ExportKind> items[] = {{tr("&Segmentation (NIfTI/NRRD)..."), ExportKind::Segmentation},
                                                    {tr("&Thickness map (NIfTI/NRRD)..."), ExportKind::ThicknessMap},
                                                    {tr("&Meshes (STL/PLY/VTP)..."), ExportKind::Meshes},
                                                    {tr("T&ables (CSV/JSON)..."), ExportKind::Tables},
                                                    {tr("&Report (PDF/HTML)..."), ExportKind::Report},
                                                    {tr("&Everything to a folder..."), ExportKind::Everything},
                                                    {tr("&DICOM SEG and SR..."), ExportKind::DicomSegSr}};
    for (const auto& [text, kind] : items) {
        QAction* a = exp->addAction(text, this, [this, k = kind] { exportDialog(k); });
        actions_[static_cast<std::size_t>(kind)] = a;
        if (kind == ExportKind::DicomSegSr) {
            // The knee analysis of a DICOM series writes its segmentation as DICOM SEG and its measurements as a
            // DICOM SR (dicom/seg.dcm, dicom/sr.dcm): offered when the result shown has them.
            a->setObjectName(QStringLiteral("actionExportDicomSegSr"));
            a->setToolTip(tr("The segmentation as DICOM SEG and the measurements as DICOM SR, written when the input was a "
                             "DICOM series"));
            const auto update = [this, a] {
                const auto ds = state_->dataset();
                a->setEnabled(ds && ds->result && !ExportService::dicomObjectsOf(*ds->result).isEmpty());
            };
            connect(exp, &QMenu::aboutToShow, a, update);
            connect(state_, &ViewerState::datasetChanged, a, update);
            update();
        } else if (kind == ExportKind::Report) {
            a->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_P));
        } else if (kind == ExportKind::Everything) {
            a->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
        }
    }
}

bool ExportController::exportDicomObjects(const QString& folder)
{
    const auto ds = hooks_.resultDataset();
    if (!ds) return false;
    try {
        const QStringList files = ExportService::dicomObjects(*ds->result, folder);
        if (files.isEmpty()) {
            hooks_.showError(tr("DICOM SEG and SR"), tr("This result has no DICOM SEG or SR: the knee analysis writes them when its "
                                                         "input is a DICOM series."));
            return false;
        }
        exportDir_ = folder;
        hooks_.showStatus(tr("Exported %1 to %2").arg(files.join(QStringLiteral(", ")), folder), 6000);
        return true;
    } catch (const std::exception& e) {
        hooks_.showError(tr("Export failed"), QString::fromUtf8(e.what()));
        return false;
    }
}

void ExportController::exportDialog(ExportKind kind)
{
    const auto ds = hooks_.resultDataset();
    if (!ds) {
        return;
    }
    const QString base = (exportDir_.isEmpty() ? hooks_.lastDir() : exportDir_) + QLatin1Char('/');
    const QString stem = QString::fromStdString(ds->name).section(QLatin1Char('.'), 0, 0);
    QString chosen;
    try {
        switch (kind) {
        case ExportKind::Segmentation:
        case ExportKind::ThicknessMap: {
            const bool seg = kind == ExportKind::Segmentation;
            const QString what = seg ? QStringLiteral("segmentation") : QStringLiteral("thickness");
            chosen = QFileDialog::getSaveFileName(window_, tr("Export %1").arg(what),
                                                  base + stem + QLatin1Char('-') + what + QStringLiteral(".nii.gz"),
                                                  tr("NIfTI (*.nii.gz *.nii);;NRRD (*.nrrd)"));
            if (!chosen.isEmpty()) {
                seg ? ExportService::segmentation(*ds->result, chosen) : ExportService::thickness(*ds->result, chosen);
            }
            break;
        }
        case ExportKind::Meshes:
        case ExportKind::Tables:
        case ExportKind::Everything:
        case ExportKind::DicomSegSr:
            chosen = QFileDialog::getExistingDirectory(window_, tr("Export into folder"), base);
            if (chosen.isEmpty()) {
                break;
            }
            if (kind == ExportKind::Meshes) {
                ExportService::meshes(*ds->result, chosen, {QStringLiteral("stl"), QStringLiteral("ply"), QStringLiteral("vtp")});
            } else if (kind == ExportKind::Tables) {
                ExportService::tables(*ds->report, *ds->result, chosen);
            } else if (kind == ExportKind::DicomSegSr) {
                exportDicomObjects(chosen);
                chosen.clear(); // it says what it wrote
            } else {
                exportAll(chosen);
            }
            break;
        case ExportKind::Report: {
            chosen = QFileDialog::getSaveFileName(window_, tr("Export report"), base + stem + QStringLiteral("-report.pdf"),
                                                  tr("PDF and HTML (*.pdf)"));
            if (!chosen.isEmpty()) {
                QString html = chosen;
                html.replace(QRegularExpression(QStringLiteral("\\.pdf$")), QString());
                writeReport(chosen.endsWith(QStringLiteral(".pdf")) ? chosen : chosen + QStringLiteral(".pdf"), html + QStringLiteral(".html"));
            }
            break;
        }
        }
    } catch (const std::exception& e) {
        hooks_.showError(tr("Export failed"), QString::fromUtf8(e.what()));
        return;
    }
    if (!chosen.isEmpty()) {
        exportDir_ = QFileInfo(chosen).isDir() ? chosen : QFileInfo(chosen).absolutePath();
        if (kind != ExportKind::Report && kind != ExportKind::Everything) {
            hooks_.showStatus(tr("Exported to %1").arg(chosen), 5000);
        }
    }
}

std::pair<results::ReportData, report::ReportImages> ExportController::trimmedReport(const Dataset& ds) const
{
    results::ReportData data = *ds.report;
    report::ReportImages images = hooks_.reportImages();
    Preferences::load().trimReport(data, images); // Edit > Preferences: what reports include
    return {std::move(data), std::move(images)};
}

bool ExportController::writeReport(const QString& pdfPath, const QString& htmlPath)
{
    const auto ds = hooks_.resultDataset();
    if (!ds) {
        return false;
    }
    try {
        auto [data, images] = trimmedReport(*ds);
        ExportService::report(data, images, pdfPath, htmlPath);
    } catch (const std::exception& e) {
        hooks_.showError(tr("Cannot write the report"), QString::fromUtf8(e.what()));
        return false;
    }
    hooks_.showStatus(tr("Report written: %1").arg(QStringList{pdfPath, htmlPath}.join(QLatin1Char(' ')).trimmed()), 5000);
    return true;
}

bool ExportController::exportAll(const QString& folder)
{
    const auto ds = hooks_.resultDataset();
    if (!ds) {
        return false;
    }
    try {
        auto [data, images] = trimmedReport(*ds);
        const QStringList files = ExportService::everything(data, *ds->result, images, folder);
        hooks_.showStatus(tr("Exported %1 files to %2").arg(files.size()).arg(folder), 5000);
    } catch (const std::exception& e) {
        hooks_.showError(tr("Export failed"), QString::fromUtf8(e.what()));
        return false;
    }
    return true;
}

} // namespace strata::ui

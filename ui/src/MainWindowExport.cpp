// MainWindow: File > Export result (segmentation, thickness map, meshes, tables, report, everything, and the DICOM SEG
// and SR of a result made from a DICOM series) through ExportService.
#include "strata/ui/MainWindow.h"

#include "strata/ui/ExportService.h"
#include "strata/ui/ViewerState.h"

#include <QAction>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QRegularExpression>
#include <QStatusBar>

namespace strata::ui {

void MainWindow::createExportMenu(QMenu* file)
{
    QMenu* exp = file->addMenu(tr("&Export result"));
    const std::pair<QString, int> items[] = {{tr("&Segmentation (NIfTI/NRRD)..."), 0}, {tr("&Thickness map (NIfTI/NRRD)..."), 1},
                                             {tr("&Meshes (STL/PLY/VTP)..."), 2},       {tr("T&ables (CSV/JSON)..."), 3},
                                             {tr("&Report (PDF/HTML)..."), 4},         {tr("&Everything to a folder..."), 5},
                                             {tr("&DICOM SEG and SR..."), 6}};
    for (const auto& [text, what] : items) {
        QAction* a = exp->addAction(text, this, [this, w = what] { exportDialog(w); });
        if (what == 6) {
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
        }
        if (what == 4) {
            a->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_P));
        } else if (what == 5) {
            a->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
        }
    }
}

bool MainWindow::exportDicomObjects(const QString& folder)
{
    const auto ds = resultDataset();
    if (!ds) return false;
    try {
        const QStringList files = ExportService::dicomObjects(*ds->result, folder);
        if (files.isEmpty()) {
            showError(tr("DICOM SEG and SR"), tr("This result has no DICOM SEG or SR: the knee analysis writes them when its input "
                                                 "is a DICOM series."));
            return false;
        }
        exportDir_ = folder;
        statusBar()->showMessage(tr("Exported %1 to %2").arg(files.join(QStringLiteral(", ")), folder), 6000);
        return true;
    } catch (const std::exception& e) {
        showError(tr("Export failed"), QString::fromUtf8(e.what()));
        return false;
    }
}

void MainWindow::exportDialog(int what)
{
    const auto ds = resultDataset();
    if (!ds) {
        return;
    }
    const QString base = (exportDir_.isEmpty() ? lastDir_ : exportDir_) + QLatin1Char('/');
    const QString stem = QString::fromStdString(ds->name).section(QLatin1Char('.'), 0, 0);
    QString chosen;
    try {
        switch (what) {
        case 0:
        case 1: {
            const QString kind = what == 0 ? QStringLiteral("segmentation") : QStringLiteral("thickness");
            chosen = QFileDialog::getSaveFileName(this, tr("Export %1").arg(kind), base + stem + QLatin1Char('-') + kind + QStringLiteral(".nii.gz"),
                                                  tr("NIfTI (*.nii.gz *.nii);;NRRD (*.nrrd)"));
            if (!chosen.isEmpty()) {
                what == 0 ? ExportService::segmentation(*ds->result, chosen) : ExportService::thickness(*ds->result, chosen);
            }
            break;
        }
        case 2:
        case 3:
        case 5:
        case 6:
            chosen = QFileDialog::getExistingDirectory(this, tr("Export into folder"), base);
            if (!chosen.isEmpty()) {
                if (what == 2) {
                    ExportService::meshes(*ds->result, chosen, {QStringLiteral("stl"), QStringLiteral("ply"), QStringLiteral("vtp")});
                } else if (what == 3) {
                    ExportService::tables(*ds->report, *ds->result, chosen);
                } else if (what == 6) {
                    exportDicomObjects(chosen);
                    chosen.clear(); // it says what it wrote
                } else {
                    exportAll(chosen);
                }
            }
            break;
        case 4: {
            chosen = QFileDialog::getSaveFileName(this, tr("Export report"), base + stem + QStringLiteral("-report.pdf"),
                                                  tr("PDF and HTML (*.pdf)"));
            if (!chosen.isEmpty()) {
                QString html = chosen;
                html.replace(QRegularExpression(QStringLiteral("\\.pdf$")), QString());
                writeReport(chosen.endsWith(QStringLiteral(".pdf")) ? chosen : chosen + QStringLiteral(".pdf"), html + QStringLiteral(".html"));
            }
            break;
        }
        default: break;
        }
    } catch (const std::exception& e) {
        showError(tr("Export failed"), QString::fromUtf8(e.what()));
        return;
    }
    if (!chosen.isEmpty()) {
        exportDir_ = QFileInfo(chosen).isDir() ? chosen : QFileInfo(chosen).absolutePath();
        if (what != 4 && what != 5) {
            statusBar()->showMessage(tr("Exported to %1").arg(chosen), 5000);
        }
    }
}

} // namespace strata::ui

// The Edit menu of the main window: hand correction of the current label map (issue 20) with LabelEditSession.
#include "strata/ui/MainWindow.h"

#include "strata/ui/LabelEditSession.h"
#include "strata/ui/LabelPanel.h"
#include "strata/ui/PipelinePanel.h"
#include "strata/ui/SliceView.h"
#include "strata/ui/View3D.h"
#include "strata/ui/ViewerState.h"

#include <QActionGroup>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>
#include <QTimer>

namespace strata::ui {

void MainWindow::createEditActions()
{
    edit_ = new LabelEditSession(state_, this);
    for (SliceView* v : slices_) v->setEditSession(edit_);

    auto* menu = editMenu_ = new QMenu(tr("&Edit"), this);
    menu->setObjectName(QStringLiteral("menuEdit"));
    menuBar()->insertMenu(menuBar()->actions().at(1), menu); // after File
    auto* tools = new QActionGroup(this);
    const auto tool = [&](const QString& text, EditTool t, QKeySequence key, const char* name) {
        QAction* a = menu->addAction(text);
        a->setCheckable(true);
        a->setShortcut(key);
        a->setObjectName(QLatin1String(name));
        tools->addAction(a);
        connect(a, &QAction::triggered, this, [this, t](bool on) { edit_->setTool(on ? t : EditTool::None); });
        return a;
    };
    QAction* brush = tool(tr("&Brush"), EditTool::Brush, QKeySequence(Qt::Key_B), "actionBrush");
    QAction* eraser = tool(tr("&Eraser"), EditTool::Eraser, QKeySequence(Qt::Key_E), "actionEraser");
    QAction* fill = tool(tr("&Fill region in slice"), EditTool::Fill, QKeySequence(Qt::Key_F), "actionFill");
    tools->setExclusionPolicy(QActionGroup::ExclusionPolicy::ExclusiveOptional);
    QAction* a = menu->addAction(tr("Stop editing"), this, [this] { edit_->setTool(EditTool::None); });
    a->setObjectName(QStringLiteral("actionStopEditing"));
    connect(edit_, &LabelEditSession::toolChanged, this, [this, brush, eraser, fill] {
        brush->setChecked(edit_->tool() == EditTool::Brush);
        eraser->setChecked(edit_->tool() == EditTool::Eraser);
        fill->setChecked(edit_->tool() == EditTool::Fill);
    });
    menu->addSeparator();
    a = menu->addAction(tr("Ball brush (3D)"), this, [this](bool on) { edit_->setBrush3D(on); });
    a->setCheckable(true);
    a->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_B));
    a = menu->addAction(tr("Brush size..."), this, [this] {
        bool ok = false;
        const double mm = QInputDialog::getDouble(this, tr("Brush size"), tr("Radius (mm):"), edit_->brushRadiusMm(), 0.2, 50.0, 1, &ok);
        if (ok) edit_->setBrushRadiusMm(mm);
    });

    // Active label: a list of the label map's labels, or the one under the cursor (L).
    QMenu* active = menu->addMenu(tr("Active &label"));
    auto* activeGroup = new QActionGroup(this);
    const auto rebuildActive = [this, active, activeGroup] {
        for (QAction* old : activeGroup->actions()) {
            activeGroup->removeAction(old);
            delete old;
        }
        const auto ds = state_->dataset();
        if (!ds || !ds->labels) return;
        for (const auto& info : ds->labels->table().labels()) {
            if (info.id <= 0) continue;
            QAction* l = active->addAction(QStringLiteral("%1  %2").arg(info.id).arg(QString::fromStdString(info.name)));
            l->setCheckable(true);
            l->setChecked(info.id == edit_->activeLabel());
            activeGroup->addAction(l);
            connect(l, &QAction::triggered, this, [this, id = info.id] { edit_->setActiveLabel(id); });
        }
    };
    connect(state_, &ViewerState::datasetChanged, this, rebuildActive);
    connect(state_, &ViewerState::labelsChanged, this, rebuildActive);
    connect(edit_, &LabelEditSession::toolChanged, this, [this, activeGroup] {
        for (QAction* l : activeGroup->actions()) l->setChecked(l->text().section(QLatin1Char(' '), 0, 0).toInt() == edit_->activeLabel());
    });
    a = menu->addAction(tr("Active label from the cursor"), this, [this] {
        if (const int id = state_->cursorLabel(); id > 0) edit_->setActiveLabel(id);
    });
    a->setShortcut(QKeySequence(Qt::Key_L));

    // What the brush may paint over.
    QMenu* over = menu->addMenu(tr("Paint &over"));
    auto* overGroup = new QActionGroup(this);
    const auto overChoice = [&](const QString& text, edit::PaintRule::Over o) {
        QAction* c = over->addAction(text);
        c->setCheckable(true);
        c->setChecked(o == edit::PaintRule::Over::Everything);
        overGroup->addAction(c);
        connect(c, &QAction::triggered, this, [this, o] {
            edit::PaintRule r = edit_->rule();
            r.over = o;
            r.overLabel = edit_->activeLabel();
            edit_->setRule(r);
        });
    };
    overChoice(tr("Everything"), edit::PaintRule::Over::Everything);
    overChoice(tr("Background only"), edit::PaintRule::Over::Background);
    overChoice(tr("The active label only (eraser)"), edit::PaintRule::Over::Label);
    a = menu->addAction(tr("Intensity range..."), this, [this] {
        edit::PaintRule r = edit_->rule();
        bool ok = false;
        const QString text = QInputDialog::getText(
            this, tr("Intensity range"), tr("Paint only voxels with intensity in MIN..MAX (empty: any):"), QLineEdit::Normal,
            r.limitsIntensity() ? QStringLiteral("%1..%2").arg(r.minIntensity).arg(r.maxIntensity) : QString(), &ok);
        if (!ok) return;
        const QStringList parts = text.split(QStringLiteral(".."));
        if (text.trimmed().isEmpty()) {
            r.minIntensity = 1;
            r.maxIntensity = 0;
        } else if (parts.size() == 2 && !parts[0].trimmed().isEmpty()) {
            r.minIntensity = parts[0].toDouble();
            r.maxIntensity = parts[1].toDouble();
        } else {
            showError(tr("Intensity range"), tr("\"%1\" is not a range like 200..900.").arg(text));
            return;
        }
        edit_->setRule(r);
    });
    menu->addSeparator();
    undo_ = menu->addAction(tr("&Undo edit"), this, [this] { edit_->undo(); });
    undo_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Z));
    undo_->setObjectName(QStringLiteral("actionUndoEdit"));
    redo_ = menu->addAction(tr("&Redo edit"), this, [this] { edit_->redo(); });
    redo_->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z));
    redo_->setObjectName(QStringLiteral("actionRedoEdit"));
    menu->addSeparator();
    a = menu->addAction(tr("&Interpolate the active label between slices"), this,
                        [this] { edit_->interpolateBetweenSlices(edit_->activeLabel()); });
    a->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));
    menu->addAction(tr("Keep the active label's largest piece"), this, [this] { edit_->keepLargestComponent(edit_->activeLabel()); });
    menu->addAction(tr("Remove the active label's islands..."), this, [this] {
        bool ok = false;
        const int n = QInputDialog::getInt(this, tr("Remove islands"), tr("Remove pieces smaller than (voxels):"), 100, 1, 100000000, 1, &ok);
        if (ok) edit_->removeIslands(edit_->activeLabel(), static_cast<std::size_t>(n));
    });
    menu->addSeparator();
    a = menu->addAction(tr("&Save segmentation as..."), this, [this] { saveSegmentationDialog(); });
    a->setShortcut(QKeySequence::Save);
    a = menu->addAction(tr("&Measure edited segmentation"), this, [this] { measureEditedSegmentation(); });
    a->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M));
    a->setObjectName(QStringLiteral("actionMeasureEdited"));

    // After a stroke, an undo or a save: title (dirty mark), undo/redo, label volumes, the status line; the 3D
    // surfaces are rebuilt (off the GUI thread) a moment after the last edit.
    auto* surfaces = new QTimer(this);
    surfaces->setSingleShot(true);
    surfaces->setInterval(1500);
    connect(surfaces, &QTimer::timeout, this, [this, surfaces] {
        const auto ds = state_->dataset();
        if (!autoSurfaces_ || !ds || !ds->labels) return;
        if (edit_->stroking() || session_->running()) { // painting, or a job (maybe the last surfaces) still running: later
            surfaces->start();
            return;
        }
        session_->forgetSurfaces(ds.get()); // built before the edits
        std::set<int> touched = edit_->takeTouchedLabels();
        if (view3d_->surfaceCount() == 0 || view3d_->buildingSurfaces() || touched.empty()) {
            buildSurfaces(); // nothing shown yet (or a build under way): all of them
            return;
        }
        session_->queueSurfaces(ds, std::move(touched)); // only the touched labels' surfaces
    });
    const auto sync = [this, surfaces](bool labelsChanged) {
        undo_->setEnabled(edit_->canUndo());
        redo_->setEnabled(edit_->canRedo());
        updateTitle();
        if (edit_->editing() || edit_->canUndo()) statusBar()->showMessage(edit_->statusText());
        if (labelsChanged) {
            labelPanel_->rebuild();
            surfaces->start();
        }
    };
    connect(edit_, &LabelEditSession::editsChanged, this, [sync] { sync(true); });
    connect(edit_, &LabelEditSession::toolChanged, this, [sync] { sync(false); });
    sync(false);
}

bool MainWindow::saveSegmentationDialog()
{
    const auto ds = state_->dataset();
    if (!ds || !ds->labels) {
        showError(tr("Save segmentation"), tr("There is no segmentation to save."));
        return false;
    }
    const QString base = QString::fromStdString(ds->name).section(QLatin1Char('.'), 0, 0);
    const QString suggested = QDir(lastDir_.isEmpty() ? QDir::homePath() : lastDir_).filePath(base + QStringLiteral("_edited.nii.gz"));
    const QString path = interactive_ ? QFileDialog::getSaveFileName(this, tr("Save segmentation"), suggested,
                                                                       tr("Label maps (*.nii.gz *.nii *.nrrd *.mha)"))
                                      : suggested;
    if (path.isEmpty()) return false;
    return saveSegmentation(path);
}

bool MainWindow::saveSegmentation(const QString& path)
{
    try {
        edit_->save(path.toStdString());
        lastDir_ = QFileInfo(path).absolutePath();
        statusBar()->showMessage(tr("Segmentation saved to %1 (with what was edited in %2.edits.json)")
                                     .arg(path, QFileInfo(path).fileName()),
                                 6000);
        return true;
    } catch (const std::exception& e) {
        showError(tr("Cannot save the segmentation"), QString::fromUtf8(e.what()));
        return false;
    }
}

int MainWindow::measureEditedSegmentation()
{
    const auto ds = state_->dataset();
    if (!ds || !ds->labels) {
        showError(tr("Measure edited segmentation"), tr("There is no segmentation to measure."));
        return -1;
    }
    // The knee pipeline measures a saved file: save the edits first (or use the file the labels came from).
    if (edit_->dirty() || ds->labelsPath.empty()) {
        if (!saveSegmentationDialog()) return -1;
    }
    if (!pipelinePanel_->selectPipeline(QStringLiteral("knee-mri")) ||
        !pipelinePanel_->setOptionalInput(QStringLiteral("labels"), QString::fromStdString(ds->labelsPath.string()))) {
        showError(tr("Measure edited segmentation"), tr("The knee pipeline is not available here."));
        return -1;
    }
    return runPipeline();
}

bool MainWindow::confirmDiscardEdits()
{
    if (!edit_ || !edit_->dirty() || !interactive_) return true;
    const auto answer = QMessageBox::question(this, tr("Unsaved edits"),
                                              tr("The segmentation has edits that are not saved. Save them first?"),
                                              QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Cancel) return false;
    if (answer == QMessageBox::Save) return saveSegmentationDialog();
    return true;
}

} // namespace strata::ui

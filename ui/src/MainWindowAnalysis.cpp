// MainWindow: the analysis side (pipeline runs, results shown, highlight, the report's pictures). The viewer side
// (views, menus) is in MainWindow.cpp, the open datasets in MainWindowDatasets.cpp, file loading in
// MainWindowJobs.cpp (the Session reads result bundles), exports in ExportController.
#include "strata/ui/MainWindow.h"

#include "strata/ui/CohortPanel.h"
#include "strata/ui/CompareTimepointsWindow.h"
#include "strata/ui/ConnectionStore.h"
#include "strata/ui/ConnectionsDialog.h"
#include "strata/ui/LabelEditSession.h"
#include "strata/ui/PipelinePanel.h"
#include "strata/ui/RegionCursor.h"
#include "strata/ui/RemoteRunTargets.h"
#include "strata/ui/ReportSnapshots.h"
#include "strata/ui/ResultsPanel.h"
#include "strata/ui/RunQueue.h"
#include "strata/ui/View3D.h"
#include "strata/ui/ViewLayout.h"
#include "strata/ui/ViewerState.h"

#include <QAction>
#include <QDockWidget>
#include <QLayout>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QStatusBar>

namespace strata::ui {

void MainWindow::createAnalysisActions()
{
    auto* menu = new QMenu(tr("&Analysis"), this);
    menuBar()->insertMenu(menuBar()->actions().last(), menu); // before Help
    QAction* a = menu->addAction(tr("&Run pipeline"), this, [this] { runPipeline(); });
    a->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    a->setObjectName(QStringLiteral("actionRun"));
    a = menu->addAction(tr("&Cancel run"), this, [this] { pipelinePanel_->cancelRunning(); });
    a->setToolTip(tr("Esc also cancels"));
    menu->addSeparator();
    // Cohorts: every case of a manifest or folder of scans, and studies made earlier (here, by the CLI or a server).
    a = menu->addAction(tr("Run c&ohort..."), this, &MainWindow::showCohortPanel);
    a->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    a->setObjectName(QStringLiteral("actionRunCohort"));
    a = menu->addAction(tr("Open cohort res&ults..."), this, [this] {
        showCohortPanel();
        cohortPanel_->chooseStudyToOpen();
    });
    a->setObjectName(QStringLiteral("actionOpenCohort"));
    // Two results of one knee: change map, linked views, change tables (the shown result suggested as follow-up).
    a = menu->addAction(tr("Compare &timepoints..."), this, [this] {
        const auto ds = state_->dataset();
        CompareTimepointsWindow::start(this, ds && ds->result ? QString::fromStdString(ds->result->dir.string()) : QString());
    });
    a->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_T));
    a->setObjectName(QStringLiteral("actionCompareTimepoints"));
    createLabelMapActions(menu);
    menu->addSeparator();
    // Remote servers: each saved connection is a run target beside "This workstation".
    addSavedServers(*targets_, ConnectionStore().load());
    a = menu->addAction(tr("&Connections..."), this, [this] {
        ConnectionStore store;
        ConnectionsDialog dialog(store, this);
        if (dialog.exec() == QDialog::Accepted) addSavedServers(*targets_, store.load());
    });
    a->setObjectName(QStringLiteral("actionConnections"));
    menu->addSeparator();
    a = menu->addAction(tr("&Thickness map"), this, [this](bool on) { state_->setThicknessVisible(on); });
    a->setCheckable(true);
    a->setShortcut(QKeySequence(Qt::Key_T));
    connect(state_, &ViewerState::overlayChanged, a, [this, a] { a->setChecked(state_->thicknessVisible()); });
    a = menu->addAction(tr("Show &all labels"), this, [this] { highlightLabel(0); });
    a->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_A));
    menu->addSeparator();
    for (QDockWidget* dock : {resultsDock_, pipelineDock_, cohortDock_}) { // the View > Panels order
        menu->addAction(dock->toggleViewAction());
    }
}

void MainWindow::setAnalysisPanelsVisible(bool visible)
{
    pipelineDock_->setVisible(visible);
    resultsDock_->setVisible(visible);
}

void MainWindow::showCohortPanel()
{
    raiseDock(cohortDock_);
    if (!cohortDock_->isFloating() && cohortDock_->height() < height() / 3) {
        resizeDocks({cohortDock_}, {height() / 3}, Qt::Vertical);
    }
    cohortPanel_->manifestEdit()->setFocus();
}

int MainWindow::runPipeline()
{
    raiseDock(pipelineDock_);
    const int id = pipelinePanel_->run();
    if (id >= 0) {
        statusBar()->showMessage(tr("Analysis queued (run %1).").arg(id), 4000);
    }
    return id;
}

void MainWindow::onRunFinished(int id)
{
    const RunJob* j = runs_->job(id);
    if (!j) {
        return;
    }
    switch (j->state) {
    case RunJob::State::Succeeded:
        if (edit_ && edit_->dirty()) { // opening it would replace labels with unsaved edits
            statusBar()->showMessage(tr("Run %1 finished in %2 s; not opened while the segmentation has unsaved edits "
                                        "(save them, then double-click the run in the history).")
                                         .arg(id)
                                         .arg(j->durationSeconds(), 0, 'f', 1),
                                     10000);
            break;
        }
        statusBar()->showMessage(tr("Run %1 finished in %2 s; opening the result.").arg(id).arg(j->durationSeconds(), 0, 'f', 1), 5000);
        openResult(j->bundleDir);
        break;
    case RunJob::State::Cancelled: statusBar()->showMessage(tr("Run %1 cancelled.").arg(id), 5000); break;
    case RunJob::State::Failed:
        showError(tr("Analysis failed"), tr("%1 on \"%2\" failed:\n\n%3").arg(j->pipelineTitle, j->inputName, j->message));
        break;
    default: break;
    }
    checkIdle();
}


void MainWindow::showAttachedResult(const AttachedResult& result)
{
    const QString dir = QString::fromStdString(result.dir.string());
    const auto& target = result.dataset;
    if (!target) { // a batch result without a viewable input (image folder, PDF)
        resultsPanel_->setResult(*result.report, LabelTable{}, dir);
        raiseDock(resultsDock_);
        // Pages and galleries are the whole result here: give them half the window, not a side strip.
        if (!resultsDock_->isFloating() && resultsDock_->width() < width() / 2) {
            resizeDocks({resultsDock_}, {width() / 2}, Qt::Horizontal);
        }
        statusBar()->showMessage(tr("Result loaded from %1").arg(dir), 5000);
        return;
    }
    if (result.newDataset) {
        setCurrentDataset(static_cast<int>(datasets().size()) - 1); // shows its result
    } else if (state_->dataset() == target) {
        state_->notifyLabelsChanged();
        showResultOf(target);
        if (autoSurfaces_) {
            buildSurfaces();
        }
    } else {
        setCurrentDataset(session_->indexOf(target.get()));
    }
    refreshDataPanel();
    raiseDock(resultsDock_);
    if (!result.keptMap.empty()) {
        statusBar()->showMessage(tr("Result loaded from %1. Its segmentation is shown as label map \"%2\"; \"%3\" stays in the "
                                    "Labels panel's list (Analysis > Compare label maps compares them).")
                                     .arg(dir, QString::fromStdString(target->labelMaps.shown()->name),
                                          QString::fromStdString(result.keptMap)),
                                 15000);
        return;
    }
    statusBar()->showMessage(tr("Result loaded from %1").arg(dir), 5000);
}

void MainWindow::showResultOf(const std::shared_ptr<Dataset>& ds)
{
    // The Results panel follows the selected dataset: its tables, plots and name, or "no result" for it.
    const QString name = ds ? QString::fromStdString(ds->name) : QString();
    if (ds && ds->result && ds->report) {
        resultsPanel_->setResult(*ds->report, ds->labels ? ds->labels->table() : LabelTable{},
                                 QString::fromStdString(ds->result->dir.string()), name);
    } else {
        resultsPanel_->clear(name);
    }
}

void MainWindow::highlightLabel(int id, const QString& region)
{
    const auto ds = state_->dataset();
    state_->soloLabel(id);
    if (ds && ds->labels && id > 0) {
        const auto info = ds->labels->table().find(id);
        const QString name = info ? QString::fromStdString(info->name) : QString::number(id);
        const auto frame = ds->result && !region.isEmpty() ? quant::SubregionFrame::fromMetrics(ds->result->metrics)
                                                           : std::nullopt;
        if (const auto at = frame ? regionCursor(*ds, id, *frame, region.toStdString()) : std::nullopt) {
            state_->setCursor(*at);
            statusBar()->showMessage(tr("Showing %1 only, the cursor in its %2 region (Shift+A shows every label).")
                                         .arg(name, region),
                                     6000);
            return;
        }
        state_->setCursor(ReportSnapshots::labelCentre(*ds, id));
        statusBar()->showMessage(tr("Showing %1 only (Shift+A shows every label).").arg(name), 4000);
    }
}

std::shared_ptr<Dataset> MainWindow::resultDataset()
{
    const auto ds = state_->dataset();
    if (!ds || !ds->result || !ds->report) {
        showError(tr("No result"), tr("The current dataset has no analysis result. Run a pipeline (Ctrl+R) or open a result folder "
                                      "(File > Open result) first."));
        return nullptr;
    }
    return ds;
}

report::ReportImages MainWindow::reportImages()
{
    const auto ds = state_->dataset();
    if (!ds) {
        return {};
    }
    report::ReportImages images = ReportSnapshots::slices(*ds);
    const bool thickness = state_->thicknessVisible(), planes = view3d_->slicePlanesVisible();
    std::array<bool, 256> visible = state_->labelVisibility();
    state_->soloLabel(0);
    state_->setThicknessVisible(true);
    const int maximised = layout_->maximised();
    view3d_->setSlicePlanesVisible(false);
    layout_->setMaximised(3); // the 3D view alone: a picture of about the report's aspect
    if (QLayout* grid = layout_->layout()) {
        grid->activate(); // apply the new geometry now, before grabbing
    }
    const auto camera = view3d_->camera(); // the user's view comes back after the report's standard one
    view3d_->resetCamera();
    images.view3d = ReportSnapshots::cropToContent(view3d_->grabImage());
    view3d_->setCamera(camera);
    layout_->setMaximised(maximised);
    view3d_->setSlicePlanesVisible(planes);
    state_->setThicknessVisible(thickness);
    for (int id = 0; id < 256; ++id) {
        state_->setLabelVisible(id, visible[static_cast<std::size_t>(id)]);
    }
    return images;
}

} // namespace strata::ui

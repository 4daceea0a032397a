// MainWindow: the analysis side (pipeline runs, result bundles, highlight, exports and reports). The viewer
// side (views, menus) is in MainWindow.cpp, the open datasets in MainWindowDatasets.cpp, file loading and
// background jobs in MainWindowJobs.cpp.
#include "strata/ui/MainWindow.h"

#include "MainWindowJobResult.h"
#include "strata/core/JsonLimits.h"
#include "strata/ui/CohortPanel.h"
#include "strata/ui/CompareTimepointsWindow.h"
#include "strata/ui/ConnectionStore.h"
#include "strata/ui/ConnectionsDialog.h"
#include "strata/ui/DatasetLoader.h"
#include "strata/ui/ExportService.h"
#include "strata/ui/FsPath.h"
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

#include <strata/core/Error.h>

#include <QAction>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QLayout>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QRegularExpression>
#include <QStatusBar>

#include <algorithm>
#include <cmath>
#include <fstream>

namespace strata::ui {

namespace {

bool samePath(const std::filesystem::path& a, const std::filesystem::path& b)
{
    std::error_code ec1, ec2;
    const auto ca = std::filesystem::weakly_canonical(a, ec1), cb = std::filesystem::weakly_canonical(b, ec2);
    return !ec1 && !ec2 ? ca == cb : a == b;
}

} // namespace

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
    for (QDockWidget* dock : findChildren<QDockWidget*>()) {
        if (dock->objectName() == QLatin1String("pipelineDock") || dock->objectName() == QLatin1String("resultsDock") ||
            dock->objectName() == QLatin1String("cohortDock")) {
            menu->addAction(dock->toggleViewAction());
        }
    }
}

void MainWindow::setAnalysisPanelsVisible(bool visible)
{
    for (const char* name : {"pipelineDock", "resultsDock"}) {
        if (QDockWidget* dock = findChild<QDockWidget*>(QString::fromLatin1(name))) {
            dock->setVisible(visible);
        }
    }
}

void MainWindow::showCohortPanel()
{
    if (QDockWidget* dock = findChild<QDockWidget*>(QStringLiteral("cohortDock"))) {
        dock->show();
        dock->raise();
        if (!dock->isFloating() && dock->height() < height() / 3) {
            resizeDocks({dock}, {height() / 3}, Qt::Vertical);
        }
    }
    cohortPanel_->manifestEdit()->setFocus();
}

int MainWindow::runPipeline()
{
    QDockWidget* dock = findChild<QDockWidget*>(QStringLiteral("pipelineDock"));
    if (dock) {
        dock->show();
        dock->raise();
    }
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

void MainWindow::openResult(const QString& bundleDir)
{
    const auto dir = fsPath(bundleDir);
    if (!results::ResultBundle::isBundle(dir)) {
        showError(tr("Not a result"), tr("\"%1\" is not a result folder: it has no provenance.json.").arg(bundleDir));
        return;
    }
    std::shared_ptr<Dataset> target;
    try {
        const auto prov = readJsonFile(dir / "provenance.json");
        const auto inputs = prov.value("inputs", nlohmann::json::array());
        if (!inputs.empty()) {
            const std::filesystem::path input = inputs.front().value("path", std::string());
            for (const auto& d : datasets_) {
                if (samePath(d->path, input)) {
                    target = d;
                }
            }
        }
    } catch (const std::exception& e) {
        showError(tr("Cannot open the result"), tr("provenance.json in \"%1\" cannot be read: %2").arg(bundleDir, QString::fromUtf8(e.what())));
        return;
    }
    queue_.push_back({JobKind::Result, QFileInfo(bundleDir).absoluteFilePath(), target});
    startNextJob();
}

void MainWindow::loadResultJob(const QString& dir, bool haveDataset, std::stop_token stop, const ProgressFn& progress, JobResult& out)
{
    if (progress) {
        progress(0.05, "Reading the result bundle");
    }
    auto bundle = std::make_shared<results::ResultBundle>(results::ResultBundle::load(fsPath(dir), stop));
    if (progress) {
        progress(0.5, "Measuring the thickness distribution");
    }
    out.report = std::make_shared<results::ReportData>(results::ReportData::fromBundle(*bundle));
    if (bundle->thickness && bundle->thickness->pixelType() == PixelType::Float32) {
        float top = 0.0f;
        for (float v : bundle->thickness->pixels<float>()) {
            top = std::max(top, v);
        }
        out.thicknessMax = std::max(0.5, std::ceil(top * 2.0) / 2.0);
    }
    // A segmentation needs its scan to be shown on; batch results (OCR pages, classified images) are shown in the
    // results panel on their own, with their input opened as a dataset only where it is one image.
    const bool needsScan = bundle->segmentation || bundle->thickness;
    if (!haveDataset) {
        const auto input = bundle->inputPath();
        std::error_code ec;
        const bool there = !input.empty() && std::filesystem::exists(input, ec);
        if (!there && needsScan) {
            throw IoError("The scan this result was computed from ('" + input.string() +
                          "') is not there any more; open the scan first, then the result.");
        }
        if (there && (needsScan || std::filesystem::is_regular_file(input, ec))) {
            try {
                out.dataset = DatasetLoader::load(input, stop, [progress](double f, const std::string& m) {
                    if (progress) {
                        progress(0.6 + 0.4 * f, m);
                    }
                });
            } catch (const IoError&) {
                if (needsScan) {
                    throw;
                }
            }
        }
    }
    out.bundle = std::move(bundle);
}

void MainWindow::attachResult(const std::shared_ptr<Dataset>& target, const std::shared_ptr<JobResult>& result, const QString& dir)
{
    if (!result->bundle) {
        return;
    }
    if (!target) { // a batch result without a viewable input (image folder, PDF)
        resultsPanel_->setResult(*result->report, LabelTable{}, dir);
        if (QDockWidget* dock = findChild<QDockWidget*>(QStringLiteral("resultsDock"))) {
            dock->show();
            dock->raise();
            // Pages and galleries are the whole result here: give them half the window, not a side strip.
            if (!dock->isFloating() && dock->width() < width() / 2) {
                resizeDocks({dock}, {width() / 2}, Qt::Horizontal);
            }
        }
        statusBar()->showMessage(tr("Result loaded from %1").arg(dir), 5000);
        return;
    }
    const auto& bundle = result->bundle;
    auto it = std::find(datasets_.begin(), datasets_.end(), target);
    const bool isNew = it == datasets_.end();
    // The result's segmentation joins the image's label maps (a ground truth or edited copy loaded stays listed).
    const QString kept = bundle->segmentation ? addResultLabelMap(*target, *bundle) : QString();
    target->thickness = bundle->thickness;
    target->thicknessMax = result->thicknessMax;
    target->result = bundle;
    target->report = result->report;
    surfaceCache_.erase(target.get());
    if (isNew) {
        datasets_.push_back(target);
        setCurrentDataset(static_cast<int>(datasets_.size()) - 1); // shows its result
    } else if (state_->dataset() == target) {
        state_->notifyLabelsChanged();
        showResultOf(target);
        if (autoSurfaces_) {
            buildSurfaces();
        }
    } else {
        setCurrentDataset(static_cast<int>(it - datasets_.begin()));
    }
    refreshDataPanel();
    if (QDockWidget* dock = findChild<QDockWidget*>(QStringLiteral("resultsDock"))) {
        dock->show();
        dock->raise();
    }
    if (!kept.isEmpty()) {
        statusBar()->showMessage(tr("Result loaded from %1. Its segmentation is shown as label map \"%2\"; \"%3\" stays in the "
                                    "Labels panel's list (Analysis > Compare label maps compares them).")
                                     .arg(dir, QString::fromStdString(target->labelMaps.shown()->name), kept),
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

bool MainWindow::writeReport(const QString& pdfPath, const QString& htmlPath)
{
    const auto ds = resultDataset();
    if (!ds) {
        return false;
    }
    try {
        results::ReportData data = *ds->report;
        report::ReportImages images = reportImages();
        Preferences::load().trimReport(data, images); // Edit > Preferences: what reports include
        ExportService::report(data, images, pdfPath, htmlPath);
    } catch (const std::exception& e) {
        showError(tr("Cannot write the report"), QString::fromUtf8(e.what()));
        return false;
    }
    statusBar()->showMessage(tr("Report written: %1").arg(QStringList{pdfPath, htmlPath}.join(QLatin1Char(' ')).trimmed()), 5000);
    return true;
}

bool MainWindow::exportAll(const QString& folder)
{
    const auto ds = resultDataset();
    if (!ds) {
        return false;
    }
    try {
        results::ReportData data = *ds->report;
        report::ReportImages images = reportImages();
        Preferences::load().trimReport(data, images);
        const QStringList files = ExportService::everything(data, *ds->result, images, folder);
        statusBar()->showMessage(tr("Exported %1 files to %2").arg(files.size()).arg(folder), 5000);
    } catch (const std::exception& e) {
        showError(tr("Export failed"), QString::fromUtf8(e.what()));
        return false;
    }
    return true;
}

} // namespace strata::ui

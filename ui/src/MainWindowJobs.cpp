// MainWindow: opening files and the background loads behind them (images, label maps, surfaces, results), which the
// Session runs off the GUI thread; here they become progress, messages and what the views show. Menus and views are
// in MainWindow.cpp, the open datasets in MainWindowDatasets.cpp, analyses in MainWindowAnalysis.cpp.
#include "strata/ui/MainWindow.h"

#include "MainWindowSessionEvents.h"

#include "strata/ui/FsPath.h"
#include "strata/ui/RecentFilesMenu.h"
#include "strata/ui/ResultsPanel.h"
#include "strata/ui/RunQueue.h"
#include "strata/ui/View3D.h"
#include "strata/ui/ViewerState.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QStatusBar>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace strata::ui {

namespace {

QString qstr(const std::filesystem::path& p) { return QString::fromStdString(p.string()); }

} // namespace

void MainWindow::openPaths(const QStringList& paths)
{
    std::vector<std::filesystem::path> absolute;
    for (const QString& p : paths) {
        // A missing path is named as given; one that exists is opened by its absolute path.
        absolute.push_back(fsPath(QFileInfo::exists(p) ? QFileInfo(p).absoluteFilePath() : p));
    }
    session_->openPaths(absolute);
    checkIdle();
}

void MainWindow::openSegmentation(const QString& path)
{
    session_->openSegmentation(fsPath(QFileInfo(path).absoluteFilePath()));
}

void MainWindow::openResult(const QString& bundleDir)
{
    // Not a result or an unreadable provenance.json: refused with the folder as given.
    const QString dir = QFileInfo::exists(bundleDir) ? QFileInfo(bundleDir).absoluteFilePath() : bundleDir;
    session_->openResult(fsPath(dir));
}

void MainWindow::buildSurfaces()
{
    const auto ds = state_->dataset();
    if (!ds || !ds->labels) {
        statusBar()->showMessage(tr("The current dataset has no label map."), 4000);
        return;
    }
    if (auto cached = session_->cachedSurfaces(ds.get())) {
        view3d_->setSurfaceInput(cached);
        return;
    }
    session_->queueSurfaces(ds, {});
}

bool MainWindow::busy() const { return session_->busy() || view3d_->buildingSurfaces() || runs_->busy(); }

void MainWindow::cancelWork()
{
    const bool wasBusy = busy();
    session_->cancel();
    if (view3d_->buildingSurfaces()) {
        view3d_->clearSurfaces();
    }
    if (wasBusy) {
        statusBar()->showMessage(tr("Cancelled."), 4000);
    }
    if (!session_->running()) {
        progress_->hide();
        cancel_->hide();
        checkIdle();
    }
}

void MainWindow::setProgress(double fraction, const QString& message)
{
    progress_->show();
    cancel_->show();
    progress_->setValue(static_cast<int>(std::lround(std::clamp(fraction, 0.0, 1.0) * 1000)));
    progress_->setFormat(QStringLiteral("%p%"));
    statusBar()->showMessage(message);
}

// ---- the session's events ----------------------------------------------------------------------------------

void MainWindow::SessionEvents::refused(SessionRefusal why, const std::filesystem::path& path, const std::string& detail)
{
    switch (why) {
    case SessionRefusal::MissingFile:
        w_.showError(tr("Cannot open file"), tr("The file or folder \"%1\" does not exist.").arg(qstr(path)));
        break;
    case SessionRefusal::NoImage: w_.showError(tr("No image"), tr("Open an image before loading a segmentation for it.")); break;
    case SessionRefusal::NotAResult:
        w_.showError(tr("Not a result"), tr("\"%1\" is not a result folder: it has no provenance.json.").arg(qstr(path)));
        break;
    case SessionRefusal::ProvenanceUnreadable:
        w_.showError(tr("Cannot open the result"),
                     tr("provenance.json in \"%1\" cannot be read: %2").arg(qstr(path), QString::fromStdString(detail)));
        break;
    }
}

void MainWindow::SessionEvents::jobStarted(const SessionJob& job)
{
    w_.setProgress(0.0, job.kind == SessionJob::Kind::Surfaces ? tr("Preparing 3D surfaces...") : tr("Opening %1...").arg(qstr(job.path)));
    if (job.kind == SessionJob::Kind::Result) {
        w_.resultsPanel_->clear();
    }
}

void MainWindow::SessionEvents::jobProgress(double fraction, const std::string& message)
{
    w_.setProgress(fraction, QString::fromStdString(message));
}

void MainWindow::SessionEvents::jobEnded(const SessionJob&)
{
    w_.progress_->hide();
    w_.cancel_->hide();
}

void MainWindow::SessionEvents::jobCancelled(const SessionJob&) { w_.statusBar()->showMessage(tr("Cancelled."), 4000); }

void MainWindow::SessionEvents::jobFailed(const SessionJob& job, const std::string& message)
{
    const QString what = job.kind == SessionJob::Kind::Surfaces ? tr("Cannot build the 3D surfaces")
                         : job.kind == SessionJob::Kind::Result ? tr("Cannot open the result \"%1\"").arg(qstr(job.path))
                                                                : tr("Cannot open \"%1\"").arg(qstr(job.path));
    w_.showError(what, what + QStringLiteral(":\n\n") + QString::fromStdString(message));
}

void MainWindow::SessionEvents::datasetOpened(int index, const std::filesystem::path& source)
{
    w_.recentMenu_->add(qstr(source));
    w_.lastDir_ = QFileInfo(qstr(source)).absolutePath();
    w_.setCurrentDataset(index);
    w_.statusBar()->showMessage(tr("Loaded %1").arg(QString::fromStdString(w_.datasets()[static_cast<std::size_t>(index)]->name)), 4000);
    Q_EMIT w_.datasetLoaded(index);
}

void MainWindow::SessionEvents::labelMapLoaded(const std::shared_ptr<Dataset>& ds, const std::filesystem::path& file)
{
    w_.lastDir_ = QFileInfo(qstr(file)).absolutePath();
    if (w_.state_->dataset() == ds) {
        w_.state_->notifyLabelsChanged();
        if (w_.autoSurfaces_) {
            w_.buildSurfaces();
        }
    }
    w_.refreshDataPanel();
}

void MainWindow::SessionEvents::surfacesReady(const std::shared_ptr<Dataset>& ds, const std::shared_ptr<const SurfaceInput>& surfaces,
                                              const std::set<int>& touched)
{
    if (w_.state_->dataset() != ds) {
        return;
    }
    if (touched.empty()) {
        w_.view3d_->setSurfaceInput(surfaces);
    } else { // after an edit: only the touched labels' surfaces
        w_.view3d_->updateSurfaces(surfaces, touched);
    }
}

void MainWindow::SessionEvents::resultLoaded(const AttachedResult& result) { w_.showAttachedResult(result); }

void MainWindow::SessionEvents::jobsSettled() { w_.checkIdle(); }

void MainWindow::checkIdle()
{
    if (!busy()) {
        Q_EMIT idle();
    }
}

void MainWindow::showError(const QString& title, const QString& message)
{
    lastError_ = message;
    Q_EMIT errorOccurred(message);
    if (!interactive_) {
        std::fprintf(stderr, "strata: %s\n", qPrintable(QString(message).replace(QLatin1Char('\n'), QLatin1Char(' '))));
        return;
    }
    auto* box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open(); // window-modal, does not block the event loop
}

void MainWindow::openFileDialog()
{
    const QStringList files = QFileDialog::getOpenFileNames(
        this, tr("Open image"), lastDir_,
        tr("Images (*.nii *.nii.gz *.nrrd *.nhdr *.mha *.mhd *.dcm *.png *.jpg *.jpeg *.tif *.tiff *.bmp);;Videos as frame stacks (*.avi *.mp4 *.mkv *.mov *.webm *.m4v *.mpg *.mpeg *.wmv);;All files (*)"));
    if (!files.isEmpty()) {
        lastDir_ = QFileInfo(files.front()).absolutePath();
        openPaths(files);
    }
}

void MainWindow::openDicomDialog()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open DICOM folder"), lastDir_);
    if (!dir.isEmpty()) {
        lastDir_ = dir;
        openPaths({dir});
    }
}

void MainWindow::openSegmentationDialog()
{
    if (!confirmDiscardEdits()) { // the new overlay replaces the edited one
        return;
    }
    const QString file = QFileDialog::getOpenFileName(this, tr("Open segmentation"), lastDir_,
                                                      tr("Label maps (*.nii *.nii.gz *.nrrd *.mha *.mhd);;DICOM SEG (*.dcm);;All files (*)"));
    if (!file.isEmpty()) {
        openSegmentation(file);
    }
}

} // namespace strata::ui

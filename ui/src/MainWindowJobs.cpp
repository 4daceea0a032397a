// MainWindow: opening files and the background jobs behind them (images, label maps, surfaces, results) with
// progress and cancel, off the GUI thread. Menus and views are in MainWindow.cpp, the open datasets in
// MainWindowDatasets.cpp, analyses in MainWindowAnalysis.cpp.
#include "strata/ui/MainWindow.h"

#include "MainWindowJobResult.h"

#include "strata/ui/DatasetLoader.h"
#include "strata/ui/FsPath.h"
#include "strata/ui/RecentFilesMenu.h"
#include "strata/ui/ResultsPanel.h"
#include "strata/ui/RunQueue.h"
#include "strata/ui/SurfaceInputBuilder.h"
#include "strata/ui/View3D.h"
#include "strata/ui/ViewerState.h"

#include <strata/core/Error.h>
#include <strata/core/results/ResultBundle.h>

#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QStatusBar>
#include <QtConcurrent/QtConcurrentRun>

#include <cstdio>

namespace strata::ui {

void MainWindow::openPaths(const QStringList& paths)
{
    for (const QString& p : paths) {
        if (!QFileInfo::exists(p)) {
            showError(tr("Cannot open file"), tr("The file or folder \"%1\" does not exist.").arg(p));
            continue;
        }
        if (QFileInfo(p).isDir() && results::ResultBundle::isBundle(fsPath(p))) {
            openResult(p); // a result folder (command line, drag and drop): its scan and result, not a DICOM search
            continue;
        }
        queue_.push_back({JobKind::Image, QFileInfo(p).absoluteFilePath(), nullptr});
    }
    startNextJob();
    checkIdle();
}

void MainWindow::openSegmentation(const QString& path)
{
    if (current_ < 0) {
        showError(tr("No image"), tr("Open an image before loading a segmentation for it."));
        return;
    }
    queue_.push_back({JobKind::Labels, QFileInfo(path).absoluteFilePath(), datasets_[static_cast<std::size_t>(current_)]});
    startNextJob();
}

void MainWindow::buildSurfaces()
{
    const auto ds = state_->dataset();
    if (!ds || !ds->labels) {
        statusBar()->showMessage(tr("The current dataset has no label map."), 4000);
        return;
    }
    if (auto it = surfaceCache_.find(ds.get()); it != surfaceCache_.end()) {
        view3d_->setSurfaceInput(it->second);
        return;
    }
    queueSurfaces(ds, {});
}

void MainWindow::queueSurfaces(const std::shared_ptr<Dataset>& ds, std::set<int> touched)
{
    for (const Job& j : queue_) {
        if (j.kind == JobKind::Surfaces && j.target == ds) {
            return;
        }
    }
    if (running_ && runningJob_.kind == JobKind::Surfaces && runningJob_.target == ds) {
        return;
    }
    queue_.push_back({JobKind::Surfaces, QString(), ds, std::make_shared<const LabelMap>(*ds->labels), std::move(touched)});
    startNextJob();
}

bool MainWindow::busy() const
{
    return running_ || !queue_.empty() || view3d_->buildingSurfaces() || runs_->busy();
}

void MainWindow::cancelWork()
{
    const bool wasBusy = busy();
    queue_.clear();
    stop_.request_stop();
    if (view3d_->buildingSurfaces()) {
        view3d_->clearSurfaces();
    }
    if (wasBusy) {
        statusBar()->showMessage(tr("Cancelled."), 4000);
    }
    if (!running_) {
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

void MainWindow::startNextJob()
{
    if (running_ || queue_.empty()) {
        return;
    }
    runningJob_ = queue_.front();
    queue_.pop_front();
    running_ = true;
    stop_ = std::stop_source();
    const quint64 gen = ++jobGeneration_;
    const std::stop_token token = stop_.get_token();
    ProgressFn progress = [this, gen](double f, const std::string& msg) {
        QMetaObject::invokeMethod(this, [this, gen, f, m = QString::fromStdString(msg)] {
            if (gen == jobGeneration_ && running_) {
                setProgress(f, m);
            }
        }, Qt::QueuedConnection);
    };
    const Job job = runningJob_;
    setProgress(0.0, job.kind == JobKind::Surfaces ? tr("Preparing 3D surfaces...") : tr("Opening %1...").arg(job.path));
    if (job.kind == JobKind::Result) {
        resultsPanel_->clear();
    }
    // Only plain data crosses threads: paths in, Image/LabelMap/SurfaceInput out.
    auto future = QtConcurrent::run([job, token, progress]() -> std::shared_ptr<JobResult> {
        auto r = std::make_shared<JobResult>();
        try {
            switch (job.kind) {
            case JobKind::Image: r->dataset = DatasetLoader::load(fsPath(job.path), token, progress); break;
            case JobKind::Labels:
                r->labels = DatasetLoader::loadLabels(fsPath(job.path), token, progress,
                                                      job.target ? job.target->image.get() : nullptr);
                break;
            case JobKind::Surfaces:
                r->surfaces = SurfaceInputBuilder::build(job.labels ? *job.labels : *job.target->labels, token, progress,
                                                         6'000'000, job.touched);
                break;
            case JobKind::Result: loadResultJob(job.path, job.target != nullptr, token, progress, *r); break;
            }
            if (token.stop_requested()) {
                r->cancelled = true;
            }
        } catch (const Cancelled&) {
            r->cancelled = true;
        } catch (const std::exception& e) {
            r->error = QString::fromStdString(e.what());
        } catch (...) {
            r->error = QStringLiteral("Unknown error.");
        }
        return r;
    });
    watcher_->setFuture(future);
}

void MainWindow::onJobFinished()
{
    const auto result = watcher_->result();
    const Job job = runningJob_;
    running_ = false;
    progress_->hide();
    cancel_->hide();
    if (result->cancelled) {
        statusBar()->showMessage(tr("Cancelled."), 4000);
    } else if (!result->error.isEmpty()) {
        const QString what = job.kind == JobKind::Surfaces ? tr("Cannot build the 3D surfaces")
                             : job.kind == JobKind::Result ? tr("Cannot open the result \"%1\"").arg(job.path)
                                                           : tr("Cannot open \"%1\"").arg(job.path);
        showError(what, what + QStringLiteral(":\n\n") + result->error);
    } else {
        switch (job.kind) {
        case JobKind::Image: {
            datasets_.push_back(result->dataset);
            recentMenu_->add(job.path);
            lastDir_ = QFileInfo(job.path).absolutePath();
            setCurrentDataset(static_cast<int>(datasets_.size()) - 1);
            statusBar()->showMessage(tr("Loaded %1").arg(QString::fromStdString(result->dataset->name)), 4000);
            Q_EMIT datasetLoaded(static_cast<int>(datasets_.size()) - 1);
            break;
        }
        case JobKind::Labels: {
            auto it = std::find(datasets_.begin(), datasets_.end(), job.target);
            if (it != datasets_.end()) {
                // Another label map of the image, next to those it has (results, edited copies), and shown.
                (*it)->addLabelMap({"loaded: " + fsPath(job.path).filename().string(), result->labels, fsPath(job.path)});
                surfaceCache_.erase(it->get());
                lastDir_ = QFileInfo(job.path).absolutePath();
                if (state_->dataset() == job.target) {
                    state_->notifyLabelsChanged();
                    if (autoSurfaces_) {
                        buildSurfaces();
                    }
                }
                refreshDataPanel();
            }
            break;
        }
        case JobKind::Surfaces:
            if (!job.touched.empty()) { // after an edit: only the touched labels' surfaces (nothing cached)
                if (state_->dataset() == job.target) view3d_->updateSurfaces(result->surfaces, job.touched);
                break;
            }
            surfaceCache_[job.target.get()] = result->surfaces;
            if (state_->dataset() == job.target) {
                view3d_->setSurfaceInput(result->surfaces);
            }
            break;
        case JobKind::Result: onJobFinishedResult(job, result); break;
        }
    }
    startNextJob();
    checkIdle();
}

void MainWindow::onJobFinishedResult(const Job& job, const std::shared_ptr<JobResult>& result)
{
    attachResult(job.target ? job.target : result->dataset, result, job.path);
}

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

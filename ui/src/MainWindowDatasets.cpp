// MainWindow: the open datasets — switching between them (the view layout a 2D picture or a video needs, cached
// label surfaces), closing one (its queued and running jobs go with it), the data panel and the window title.
// Menus and views are in MainWindow.cpp, file loading in MainWindowJobs.cpp, analyses in MainWindowAnalysis.cpp.
#include "strata/ui/MainWindow.h"

#include "strata/ui/DataPanel.h"
#include "strata/ui/LabelEditSession.h"
#include "strata/ui/PipelinePanel.h"
#include "strata/ui/View3D.h"
#include "strata/ui/ViewLayout.h"
#include "strata/ui/ViewerState.h"

#include <QStringList>

#include <algorithm>
#include <cmath>

namespace strata::ui {

namespace {

/// Same grid as the knee pipeline's check of given labels: size, spacing (0.1 %), origin (1 % of the smallest
/// voxel side), direction (1e-3 per entry).
bool sameGrid(const Image& a, const Image& b)
{
    if (a.size() != b.size()) {
        return false;
    }
    const double minSpacing = std::min({b.spacing()[0], b.spacing()[1], b.spacing()[2]});
    for (int i = 0; i < 3; ++i) {
        if (std::abs(a.spacing()[i] - b.spacing()[i]) > 1e-3 * b.spacing()[i] ||
            std::abs(a.origin()[i] - b.origin()[i]) > 0.01 * minSpacing) {
            return false;
        }
    }
    for (int i = 0; i < 9; ++i) {
        if (std::abs(a.direction()[i] - b.direction()[i]) > 1e-3) {
            return false;
        }
    }
    return true;
}

} // namespace

void MainWindow::setCurrentDataset(int index)
{
    if (index < 0 || index >= static_cast<int>(datasets_.size())) {
        return;
    }
    if (index == current_ && state_->dataset() == datasets_[static_cast<std::size_t>(index)]) {
        return;
    }
    current_ = index;
    const auto ds = datasets_[static_cast<std::size_t>(index)];
    state_->setDataset(ds);
    showResultOf(ds);
    refreshDataPanel();
    updateTitle();
    if (ds->image && (ds->image->size()[2] == 1 || ds->isVideo()) && layout_->maximised() < 0) {
        // A 2D picture (page, photo): the other planes and 3D would show a line. A video: frames are the slices
        // of the one view (Page Up / Page Down or the wheel step through them); the other planes cut across time.
        layout_->setMaximised(0);
    }
    if (ds->labels) {
        if (auto it = surfaceCache_.find(ds.get()); it != surfaceCache_.end()) {
            view3d_->setSurfaceInput(it->second);
        } else if (autoSurfaces_) {
            buildSurfaces();
        }
    }
}

void MainWindow::closeDataset(int index)
{
    if (index < 0 || index >= static_cast<int>(datasets_.size())) {
        return;
    }
    const auto ds = datasets_[static_cast<std::size_t>(index)];
    if (ds == state_->dataset() && !confirmDiscardEdits()) {
        return;
    }
    surfaceCache_.erase(ds.get());
    std::erase_if(queue_, [&](const Job& j) { return j.target == ds; });
    if (running_ && runningJob_.target == ds) {
        stop_.request_stop();
    }
    datasets_.erase(datasets_.begin() + index);
    current_ = -1;
    if (datasets_.empty()) {
        state_->setDataset(nullptr);
        showResultOf(nullptr);
        refreshDataPanel();
        updateTitle();
    } else {
        setCurrentDataset(std::min(index, static_cast<int>(datasets_.size()) - 1));
    }
}

void MainWindow::refreshDataPanel()
{
    dataPanel_->setDatasets(datasets_, current_);
    QStringList names, paths;
    for (const auto& d : datasets_) {
        names << QString::fromStdString(d->name);
        paths << QString::fromStdString(d->path.string());
    }
    // Label overlays with a file can be given to a pipeline's label-map input (the knee's "labels") for the
    // inputs on their grid.
    std::vector<PipelinePanel::LabelOverlay> overlays;
    for (const auto& d : datasets_) {
        if (!d->labels || d->labelsPath.empty()) {
            continue;
        }
        PipelinePanel::LabelOverlay o{QString::fromStdString(d->name), QString::fromStdString(d->labelsPath.string()), {}};
        for (const auto& e : datasets_) {
            if (e->image && sameGrid(d->labels->image(), *e->image)) {
                o.sameGridInputs << QString::fromStdString(e->path.string());
            }
        }
        overlays.push_back(std::move(o));
    }
    pipelinePanel_->setLabelOverlays(std::move(overlays));
    pipelinePanel_->setInputs(names, paths, current_);
}

void MainWindow::updateTitle()
{
    const auto ds = state_->dataset();
    const bool edited = edit_ && edit_->dirty(); // unsaved label edits: the usual "*"
    setWindowTitle(ds ? QStringLiteral("%1%2 - Strata").arg(QString::fromStdString(ds->name), edited ? QStringLiteral("*") : QString())
                      : QStringLiteral("Strata"));
}

} // namespace strata::ui

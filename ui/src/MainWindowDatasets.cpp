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

namespace strata::ui {

void MainWindow::setCurrentDataset(int index)
{
    if (index < 0 || index >= static_cast<int>(datasets().size())) {
        return;
    }
    if (index == session_->current() && state_->dataset() == datasets()[static_cast<std::size_t>(index)]) {
        return;
    }
    session_->setCurrent(index);
    const auto ds = datasets()[static_cast<std::size_t>(index)];
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
        if (auto cached = session_->cachedSurfaces(ds.get())) {
            view3d_->setSurfaceInput(cached);
        } else if (autoSurfaces_) {
            buildSurfaces();
        }
    }
}

void MainWindow::closeDataset(int index)
{
    if (index < 0 || index >= static_cast<int>(datasets().size())) {
        return;
    }
    if (datasets()[static_cast<std::size_t>(index)] == state_->dataset() && !confirmDiscardEdits()) {
        return;
    }
    session_->close(index); // its cached surfaces and its jobs go too
    if (datasets().empty()) {
        state_->setDataset(nullptr);
        showResultOf(nullptr);
        refreshDataPanel();
        updateTitle();
    } else {
        setCurrentDataset(std::min(index, static_cast<int>(datasets().size()) - 1));
    }
}

void MainWindow::refreshDataPanel()
{
    dataPanel_->setDatasets(datasets(), session_->current());
    QStringList names, paths;
    for (const auto& d : datasets()) {
        names << QString::fromStdString(d->name);
        paths << QString::fromStdString(d->path.string());
    }
    // Label overlays with a file can be given to a pipeline's label-map input (the knee's "labels") for the
    // inputs on their grid.
    std::vector<PipelinePanel::LabelOverlay> overlays;
    for (const auto& o : session_->labelOverlays()) {
        PipelinePanel::LabelOverlay panel{QString::fromStdString(o.name), QString::fromStdString(o.labelsPath.string()), {}};
        for (const auto& input : o.sameGridInputs) {
            panel.sameGridInputs << QString::fromStdString(input.string());
        }
        overlays.push_back(std::move(panel));
    }
    pipelinePanel_->setLabelOverlays(std::move(overlays));
    pipelinePanel_->setInputs(names, paths, session_->current());
}

void MainWindow::updateTitle()
{
    const auto ds = state_->dataset();
    const bool edited = edit_ && edit_->dirty(); // unsaved label edits: the usual "*"
    setWindowTitle(ds ? QStringLiteral("%1%2 - Strata").arg(QString::fromStdString(ds->name), edited ? QStringLiteral("*") : QString())
                      : QStringLiteral("Strata"));
}

} // namespace strata::ui

// MainWindow: the label maps of an image (issue 24, item 3). Each dataset keeps every label map it was given - run
// results, files loaded, the editor's copies (Dataset::labelMaps) - the Labels panel picks the one shown, and
// Analysis > Compare label maps compares two of them.
#include "strata/ui/MainWindow.h"

#include "strata/ui/CompareLabelMapsDialog.h"
#include "strata/ui/LabelEditSession.h"
#include "strata/ui/LabelPanel.h"
#include "strata/ui/View3D.h"
#include "strata/ui/ViewerState.h"

#include <QAction>
#include <QMenu>
#include <QStatusBar>

namespace strata::ui {

void MainWindow::createLabelMapActions(QMenu* analysisMenu)
{
    QAction* a = analysisMenu->addAction(tr("Compare &label maps..."), this, [this] { compareLabelMaps(); });
    a->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L));
    a->setObjectName(QStringLiteral("actionCompareLabelMaps"));
    a->setToolTip(tr("Dice, volumes and surface distances per label between two label maps of the image shown"));
    connect(labelPanel_, &LabelPanel::labelMapChosen, this, [this](int index) { showLabelMap(index); });
}

bool MainWindow::showLabelMap(int index)
{
    const auto ds = state_->dataset();
    if (!ds || index < 0 || index >= ds->labelMaps.size() || index == ds->labelMaps.shownIndex()) {
        return ds && index == ds->labelMaps.shownIndex();
    }
    // The edited copy stays in the list, but its undo history and the close-time question go with the switch.
    if (!confirmDiscardEdits()) {
        labelPanel_->rebuild(); // the list shows the map still shown
        return false;
    }
    ds->showLabelMap(index);
    session_->forgetSurfaces(ds.get()); // built from the map shown before
    state_->notifyLabelsChanged();
    if (autoSurfaces_) {
        buildSurfaces();
    } else {
        view3d_->clearSurfaces();
    }
    refreshDataPanel();
    statusBar()->showMessage(tr("Showing label map \"%1\".").arg(QString::fromStdString(ds->labelMaps.shown()->name)), 4000);
    return true;
}

CompareLabelMapsDialog* MainWindow::compareLabelMaps()
{
    const auto ds = state_->dataset();
    if (!ds || ds->labelMaps.size() < 2) {
        showError(tr("Compare label maps"),
                  tr("The image shown has fewer than two label maps. Load one (File > Open segmentation), run an analysis "
                     "or edit the labels (each adds a map), then compare."));
        return nullptr;
    }
    for (auto* old : findChildren<CompareLabelMapsDialog*>()) old->close(); // one at a time, on the current maps
    auto* dialog = new CompareLabelMapsDialog(ds, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(state_, &ViewerState::labelsChanged, dialog, &CompareLabelMapsDialog::refreshMaps);
    connect(edit_, &LabelEditSession::editsChanged, dialog, &CompareLabelMapsDialog::refreshMaps); // an edited copy
    connect(dialog, &CompareLabelMapsDialog::labelActivated, this, [this, dialog](int id) {
        if (state_->dataset() == dialog->dataset()) highlightLabel(id);
    });
    dialog->show();
    return dialog;
}

} // namespace strata::ui

// MainWindow: Edit > Preferences (issue 24, item 7): analysis threads and device, slice interpolation, data and results
// folders, report contents, resetting label names and colours.
#include "strata/ui/MainWindow.h"

#include "strata/ui/CohortPanel.h"
#include "strata/ui/LabelAppearanceStore.h"
#include "strata/ui/PipelinePanel.h"
#include "strata/ui/PreferencesDialog.h"
#include "strata/ui/ViewerState.h"

#include <QAction>
#include <QMenu>

namespace strata::ui {

void MainWindow::createPreferencesAction()
{
    QMenu* edit = editMenu_;
    edit->addSeparator();
    QAction* a = edit->addAction(tr("&Preferences..."), this, [this] {
        PreferencesDialog dialog(Preferences::load(), this);
        if (dialog.exec() == QDialog::Accepted) {
            const Preferences p = dialog.preferences();
            p.save();
            applyPreferences(p);
        }
    });
    a->setObjectName(QStringLiteral("actionPreferences"));
    a->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    a->setMenuRole(QAction::PreferencesRole);
}

void MainWindow::applyPreferences(const Preferences& p)
{
    state_->setSmoothSlices(p.smoothSlices);
    if (!p.resultsFolder.isEmpty()) {
        pipelinePanel_->setResultsRoot(p.resultsFolder);
    }
    if (!p.dataFolder.isEmpty() && lastDir_.isEmpty()) {
        lastDir_ = p.dataFolder;
    }
    pipelinePanel_->applyDevicePreference(p.device);
    cohortPanel_->applyDevicePreference(p.device);
    if (p.resetLabelAppearance) {
        // Every label map open gets the names and colours it came with; nothing remembered gives them back later.
        LabelAppearanceStore::forgetAll();
        for (const auto& ds : datasets()) {
            for (const auto& e : ds->labelMaps.entries()) {
                if (e.labels && e.loadedTable.size() > 0) std::const_pointer_cast<LabelMap>(e.labels)->setTable(e.loadedTable);
            }
        }
        state_->notifyLabelAppearanceChanged();
    }
}

} // namespace strata::ui

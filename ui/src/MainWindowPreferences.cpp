// MainWindow: Edit > Preferences (issue 24, item 7): analysis threads, slice interpolation, data and results folders.
#include "strata/ui/MainWindow.h"

#include "strata/ui/PipelinePanel.h"
#include "strata/ui/PreferencesDialog.h"
#include "strata/ui/ViewerState.h"

#include <QAction>
#include <QMenu>

namespace strata::ui {

void MainWindow::createPreferencesAction()
{
    QMenu* edit = findChild<QMenu*>(QStringLiteral("menuEdit"));
    if (!edit) return;
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
}

} // namespace strata::ui

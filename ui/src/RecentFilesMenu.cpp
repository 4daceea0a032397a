#include "strata/ui/RecentFilesMenu.h"

#include <QFileInfo>

namespace strata::ui {

RecentFilesMenu::RecentFilesMenu(const QString& title, QWidget* parent) : QMenu(title, parent) { rebuild(); }

void RecentFilesMenu::setFiles(const QStringList& files)
{
    files_ = files.mid(0, kMaxFiles);
    rebuild();
}

void RecentFilesMenu::add(const QString& path)
{
    files_.removeAll(path);
    files_.prepend(path);
    while (files_.size() > kMaxFiles) {
        files_.removeLast();
    }
    rebuild();
    Q_EMIT changed();
}

void RecentFilesMenu::rebuild()
{
    clear();
    for (int i = 0; i < files_.size(); ++i) {
        const QString path = files_[i];
        QAction* a = addAction(QStringLiteral("&%1 %2").arg((i + 1) % 10).arg(QFileInfo(path).fileName()), this,
                               [this, path] { Q_EMIT openRequested(path); });
        a->setToolTip(path);
        a->setStatusTip(path);
    }
    if (!files_.isEmpty()) {
        addSeparator();
        addAction(tr("Clear list"), this, [this] {
            files_.clear();
            rebuild();
            Q_EMIT changed();
        });
    }
    setEnabled(!files_.isEmpty());
}

} // namespace strata::ui

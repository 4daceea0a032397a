#include "strata/ui/UserGuide.h"

#include "strata/ui/UserGuideText.h"

#include <QDialog>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace strata::ui {

QString UserGuide::markdown()
{
    return QString::fromUtf8(kUserGuideMarkdown);
}

void UserGuide::show(QWidget* parent)
{
    if (auto* open = parent->findChild<QDialog*>(QStringLiteral("userGuide"))) {
        open->show();
        open->raise();
        return;
    }
    auto* dialog = new QDialog(parent);
    dialog->setObjectName(QStringLiteral("userGuide"));
    dialog->setWindowTitle(QObject::tr("Strata user guide"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    auto* text = new QTextBrowser(dialog);
    text->setOpenExternalLinks(true);
    text->setMarkdown(markdown());
    auto* layout = new QVBoxLayout(dialog);
    layout->addWidget(text);
    dialog->resize(720, 760);
    dialog->show();
}

} // namespace strata::ui

#include "strata/ui/ShortcutHelp.h"

#include <QAction>
#include <QMessageBox>
#include <QWidget>

#include <map>

namespace strata::ui {

QString ShortcutHelp::html(const QWidget* window)
{
    QString out = QObject::tr(
        "<h4>Mouse</h4><table>"
        "<tr><td><b>Left click / drag</b></td><td>move the cursor (all views follow)</td></tr>"
        "<tr><td><b>Wheel, Page Up/Down, Up/Down</b></td><td>scroll slices (Shift: 10 at a time)</td></tr>"
        "<tr><td><b>Ctrl+wheel, +/-</b></td><td>zoom</td></tr>"
        "<tr><td><b>Middle drag</b></td><td>pan</td></tr>"
        "<tr><td><b>Right drag</b></td><td>window (horizontal) / level (vertical)</td></tr>"
        "<tr><td><b>R</b></td><td>reset the view under the focus (3D: camera)</td></tr>"
        "<tr><td><b>Double-click, M</b></td><td>maximise / restore a view</td></tr>"
        "</table><h4>Keyboard</h4><table>");
    std::map<QString, QString> rows; // sorted by action name
    for (const QAction* a : window->findChildren<QAction*>()) {
        if (a->shortcut().isEmpty() || a->text().isEmpty()) {
            continue;
        }
        QString name = a->text();
        name.remove(QLatin1Char('&'));
        if (name.endsWith(QStringLiteral("..."))) {
            name.chop(3);
        }
        QStringList keys;
        for (const QKeySequence& k : a->shortcuts()) {
            keys << k.toString(QKeySequence::NativeText);
        }
        rows[name] = keys.join(QStringLiteral(", "));
    }
    for (const auto& [name, keys] : rows) {
        out += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>").arg(keys.toHtmlEscaped(), name.toHtmlEscaped());
    }
    return out + QStringLiteral("</table>");
}

void ShortcutHelp::show(QWidget* window)
{
    auto* box = new QMessageBox(QMessageBox::Information, QObject::tr("Keyboard and mouse"), html(window), QMessageBox::Ok, window);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

} // namespace strata::ui

#include "strata/ui/ShortcutHelp.h"

#include <QAction>
#include <QMenu>
#include <QMenuBar>
#include <QStringList>
#include <QMessageBox>
#include <QWidget>

#include <map>

namespace strata::ui {
namespace {

QString plain(QString text)
{
    return text.remove(QLatin1Char('&'));
}

/// The title of the top-level menu an action is in ("Other" when it is in none; popups without a title, such as a
/// view's context menu, do not count).
QString menuOf(const QAction* a)
{
    for (QObject* o : a->associatedObjects()) {
        auto* menu = qobject_cast<QMenu*>(o);
        if (!menu) continue;
        for (bool up = true; up;) {
            up = false;
            for (QObject* p : menu->menuAction()->associatedObjects()) {
                // (a menu bar's overflow popup holds its menus too: untitled, not a parent)
                if (auto* parent = qobject_cast<QMenu*>(p); parent && !plain(parent->title()).isEmpty()) {
                    menu = parent;
                    up = true;
                    break;
                }
            }
        }
        if (!plain(menu->title()).isEmpty()) {
            return plain(menu->title());
        }
    }
    return QObject::tr("Other");
}

} // namespace

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
        "</table><h4>Keyboard, by menu</h4><table>");
    // Grouped by task: the top-level menu each action is in, in the menu bar's order; within a group by name.
    QStringList order;
    if (const auto* bar = window->findChild<QMenuBar*>()) {
        for (const QAction* m : bar->actions()) {
            order << plain(m->text());
        }
    }
    std::map<QString, std::map<QString, QString>> groups;
    for (const QAction* a : window->findChildren<QAction*>()) {
        if (a->shortcut().isEmpty() || a->text().isEmpty()) {
            continue;
        }
        QString name = plain(a->text());
        if (name.endsWith(QStringLiteral("..."))) {
            name.chop(3);
        }
        QStringList keys;
        for (const QKeySequence& k : a->shortcuts()) {
            keys << k.toString(QKeySequence::NativeText);
        }
        groups[menuOf(a)][name] = keys.join(QStringLiteral(", "));
    }
    const QString other = QObject::tr("Other");
    for (const auto& [group, rows] : groups) {
        if (!order.contains(group)) order << group;
    }
    order.removeAll(other);
    order << other;
    for (const QString& group : order) {
        const auto it = groups.find(group);
        if (it == groups.end()) continue;
        out += QStringLiteral("<tr><td colspan=\"2\"><h4>%1</h4></td></tr>").arg(group.toHtmlEscaped());
        for (const auto& [name, keys] : it->second) {
            out += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>").arg(keys.toHtmlEscaped(), name.toHtmlEscaped());
        }
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

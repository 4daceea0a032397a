#pragma once

#include <QString>

class QWidget;

namespace strata::ui {

/// Help > Keyboard and mouse: the mouse gestures of the views and every keyboard shortcut of the window, read from
/// its actions (so the list cannot drift from the menus).
class ShortcutHelp {
public:
    static QString html(const QWidget* window);
    static void show(QWidget* window);
};

} // namespace strata::ui

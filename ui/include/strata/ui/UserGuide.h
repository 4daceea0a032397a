#pragma once

#include <QString>

class QWidget;

namespace strata::ui {

/// Help > User guide: docs/user-guide.md (built into the program at configure time) in a window of its own.
class UserGuide {
public:
    /// The guide's Markdown text (empty when the resource is missing).
    static QString markdown();
    /// Opens the guide beside `parent` (one window; shown again when it is open).
    static void show(QWidget* parent);
};

} // namespace strata::ui

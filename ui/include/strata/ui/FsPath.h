#pragma once

#include <QString>

#include <filesystem>

namespace strata::ui {

/// A path typed or chosen in the GUI as the core's std::filesystem::path (UTF-8 on Linux).
inline std::filesystem::path fsPath(const QString& s) { return std::filesystem::path(s.toStdString()); }

} // namespace strata::ui

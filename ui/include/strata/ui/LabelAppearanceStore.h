#pragma once

#include <strata/LabelTable.h>

#include <QString>

#include <array>
#include <cstdint>
#include <string>

namespace strata::ui {

/// Names and colours people gave labels in the Labels panel, remembered per label table (QSettings, group
/// "labelAppearance"): a table is known by its ids and names as loaded; a table renamed here is an alias of the
/// table it came from, so its changes land in one place and every later load of that table gets them.
class LabelAppearanceStore {
public:
    /// The table with the names and colours remembered for it (the same table when none are).
    static LabelTable apply(const LabelTable& table);
    /// Remembers label `id`'s name and colour for `table` (as shown now) and returns the changed table.
    static LabelTable change(const LabelTable& table, int id, const std::string& name, std::array<std::uint8_t, 4> rgba);
    /// Forgets what was remembered for `table` (and the table it came from).
    static void forget(const LabelTable& table);
    /// Forgets every name and colour remembered (Edit > Preferences).
    static void forgetAll();
    /// Stable key of a table's ids and names.
    static QString key(const LabelTable& table);

private:
    static QString origin(const LabelTable& table);
};

} // namespace strata::ui

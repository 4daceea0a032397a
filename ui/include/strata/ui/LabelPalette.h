#pragma once

#include <strata/LabelTable.h>

#include <QColor>
#include <QRgb>

#include <array>

namespace strata::ui {

/// RGBA colour of each label id (0..255), from a label table; ids missing from the table get a stable
/// generated colour, id 0 is transparent.
class LabelPalette {
public:
    explicit LabelPalette(const LabelTable& table);
    QRgb rgba(int id) const { return colours_[static_cast<std::size_t>(id & 0xff)]; }
    QColor colour(int id) const { return QColor::fromRgba(rgba(id)); }
    static QRgb generatedColour(int id);

private:
    std::array<QRgb, 256> colours_{};
};

} // namespace strata::ui

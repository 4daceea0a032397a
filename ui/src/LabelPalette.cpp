#include "strata/ui/LabelPalette.h"

namespace strata::ui {

LabelPalette::LabelPalette(const LabelTable& table)
{
    for (int id = 1; id < 256; ++id) {
        colours_[static_cast<std::size_t>(id)] = generatedColour(id);
    }
    colours_[0] = qRgba(0, 0, 0, 0);
    for (const auto& l : table.labels()) {
        if (l.id <= 0 || l.id > 255) {
            continue;
        }
        // A table entry with alpha 0 (usually "background") stays transparent.
        colours_[static_cast<std::size_t>(l.id)] = qRgba(l.rgba[0], l.rgba[1], l.rgba[2], l.rgba[3]);
    }
}

QRgb LabelPalette::generatedColour(int id)
{
    // Golden-angle hues: neighbouring ids get clearly different colours.
    const int hue = static_cast<int>(id * 137.508) % 360;
    return QColor::fromHsv(hue, 200, 230).rgba();
}

} // namespace strata::ui

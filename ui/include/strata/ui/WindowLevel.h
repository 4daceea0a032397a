#pragma once

namespace strata::ui {

/// Display window (width) and level (centre) in image intensity units.
struct WindowLevel {
    double window{1.0};
    double level{0.5};

    double low() const { return level - window / 2.0; }
    double high() const { return level + window / 2.0; }
    bool operator==(const WindowLevel&) const = default;
};

} // namespace strata::ui

#pragma once

#include "strata/ui/WindowLevel.h"

#include <optional>
#include <string>
#include <vector>

namespace strata::ui {

/// A named window/level setting. Automatic presets (percentile based) have no fixed values.
struct WindowLevelPreset {
    std::string name;
    std::optional<WindowLevel> fixed;   ///< empty: computed from the image
    double lowPercentile{1.0};          ///< used when fixed is empty
    double highPercentile{99.0};

    /// The presets offered in the UI: "Auto (1-99%)", "Full range", CT and MR presets.
    static const std::vector<WindowLevelPreset>& all();
};

} // namespace strata::ui

#include "strata/ui/WindowLevelPreset.h"

namespace strata::ui {

const std::vector<WindowLevelPreset>& WindowLevelPreset::all()
{
    static const std::vector<WindowLevelPreset> presets{
        {"Auto (1-99%)", std::nullopt, 1.0, 99.0},
        {"Auto (0.5-99.5%)", std::nullopt, 0.5, 99.5},
        {"Full range", std::nullopt, 0.0, 100.0},
        {"MR soft (5-95%)", std::nullopt, 5.0, 95.0},
        {"CT brain (80/40)", WindowLevel{80.0, 40.0}},
        {"CT soft tissue (400/40)", WindowLevel{400.0, 40.0}},
        {"CT lung (1500/-600)", WindowLevel{1500.0, -600.0}},
        {"CT bone (2000/500)", WindowLevel{2000.0, 500.0}},
    };
    return presets;
}

} // namespace strata::ui

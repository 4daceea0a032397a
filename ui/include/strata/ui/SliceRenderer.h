#pragma once

#include "strata/ui/Dataset.h"
#include "strata/ui/SliceMapping.h"
#include "strata/ui/WindowLevel.h"

#include <QImage>

#include <array>

namespace strata::ui {

/// Settings for drawing the label overlay on a slice.
struct OverlaySettings {
    bool visible{true};
    double opacity{0.5};
    const std::array<bool, 256>* labelVisible{nullptr}; ///< null: all visible
    bool thickness{false};  ///< colour the dataset's thickness map instead of the labels
};

/// Computes the QImage of one slice: grey values through window/level (or RGB for colour images) blended
/// with the label overlay. One image pixel per voxel; the view scales it to the physical aspect.
class SliceRenderer {
public:
    static QImage render(const Dataset& dataset, const SliceMapping& mapping, int slice, const WindowLevel& wl,
                         const OverlaySettings& overlay);
};

} // namespace strata::ui

#pragma once

#include "strata/Image.h"

#include <cstdint>

namespace strata::edit {

/// Which voxels an edit may change (ITK-SNAP's "paint over" and "draw only on intensities in a range").
struct PaintRule {
    enum class Over {
        Everything, ///< any voxel
        Background, ///< only voxels with id 0
        Label       ///< only voxels with id overLabel (an eraser limited to one label: value 0, Over::Label)
    };
    Over over{Over::Everything};
    int overLabel{0};
    /// Only voxels whose intensity lies in [minIntensity, maxIntensity] (needs an intensity image on the label
    /// map's grid); off while minIntensity > maxIntensity.
    double minIntensity{1.0};
    double maxIntensity{0.0};

    [[nodiscard]] bool limitsIntensity() const { return minIntensity <= maxIntensity; }
    /// Whether the voxel at linear index i with id `current` may be changed.
    [[nodiscard]] bool allows(std::uint8_t current, const Image* intensity, std::size_t i) const
    {
        if (over == Over::Background && current != 0) return false;
        if (over == Over::Label && current != overLabel) return false;
        if (limitsIntensity() && intensity) {
            const Size3& s = intensity->size();
            const double v = intensity->valueAt(i % s[0], (i / s[0]) % s[1], i / (s[0] * s[1]));
            if (v < minIntensity || v > maxIntensity) return false;
        }
        return true;
    }
};

} // namespace strata::edit

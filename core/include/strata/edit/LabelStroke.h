#pragma once

#include "strata/edit/LabelDelta.h"
#include "strata/edit/PaintRule.h"

#include <unordered_map>

namespace strata::edit {

/// The brush's shape: a disc in one slice or a ball, its radius in mm (so it is round on anisotropic voxels).
struct BrushShape {
    double radiusMm{2.0};
    bool sphere{false}; ///< false: a disc in the slice through the centre across index axis `axis`
    int axis{2};        ///< 0, 1, 2: the index axis the slice view looks along (its slice number changes along it)
};

/// A brush stroke in progress: stamps change the label map at once (the views repaint what they see); finish()
/// hands back the whole stroke as one delta to undo. A voxel touched twice keeps its value from before the stroke.
class LabelStroke {
public:
    /// `value`: the id painted (0 erases); `intensity` (may be null) is needed by a rule that limits intensity.
    LabelStroke(LabelMap& labels, const Image* intensity, std::uint8_t value, PaintRule rule);

    /// Paints the brush around `centre` (index coordinates, may be fractional); returns the voxels it changed.
    std::size_t stamp(const Vec3& centre, const BrushShape& brush);
    /// Stamps from `from` to `to` every quarter radius, so a fast drag leaves no gaps (`from` itself not again).
    std::size_t line(const Vec3& from, const Vec3& to, const BrushShape& brush);
    /// Voxels changed so far.
    [[nodiscard]] std::size_t changed() const { return before_.size(); }
    /// The stroke as one delta; the stroke is empty afterwards.
    [[nodiscard]] LabelDelta finish();

private:
    LabelMap& labels_;
    const Image* intensity_;
    std::uint8_t value_;
    PaintRule rule_;
    std::unordered_map<std::uint32_t, std::uint8_t> before_;
};

} // namespace strata::edit

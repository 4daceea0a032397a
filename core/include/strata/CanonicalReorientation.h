#pragma once

#include "strata/AnatomicalFrame.h"
#include "strata/Image.h"
#include "strata/Resample.h"

#include <nlohmann/json.hpp>

#include <array>

namespace strata {

/// Brings a volume into a model's canonical anatomical frame and its labels back onto the volume's grid.
///
/// - Axis-aligned inputs (every index axis within kExactToleranceDeg of a body axis: any axis order, any flips)
///   are permuted and flipped voxel for voxel: no interpolation, and back() is the exact inverse. The canonical
///   image covers the same world points (its direction is the input's, columns permuted and negated).
/// - Oblique inputs are resampled onto an axis-aligned grid in the frame (the frame's direction matrix exactly,
///   `obliqueSpacing`, covering the input's field of view); labels go back by nearest neighbour.
/// - `mirror` mirrors the canonical image left-right (patient space: the frame's L/R axis is reversed), e.g. a
///   left knee into a right-knee model; back() undoes it. The mirrored image keeps the unmirrored grid's geometry.
class CanonicalReorientation {
public:
    static constexpr double kExactToleranceDeg = 0.5;

    CanonicalReorientation(const Image& input, const AnatomicalFrame& frame, const Vec3& obliqueSpacing, bool mirror);

    /// Throws InvalidArgument (one sentence naming `what`) unless the image is a 3D volume with positive finite
    /// spacing, a finite origin and an orthonormal direction matrix.
    static void checkGeometry(const Image& image, const std::string& what);

    [[nodiscard]] bool exact() const { return exact_; }
    [[nodiscard]] bool mirrored() const { return mirror_; }
    /// Largest angle between an input axis and the frame axis it maps to (degrees).
    [[nodiscard]] double obliqueDegrees() const { return obliqueDeg_; }
    /// Exact case: canonical axis c is input axis permutation()[c], reversed when flipped()[c] (mirror not included).
    [[nodiscard]] const std::array<int, 3>& permutation() const { return perm_; }
    [[nodiscard]] const std::array<bool, 3>& flipped() const { return flip_; }
    /// The input's nearest anatomical frame (e.g. "LPS", "PIR").
    [[nodiscard]] const AnatomicalFrame& inputFrame() const { return inputFrame_; }

    /// The image in the canonical frame. Exact: a permuted copy of any pixel type (interpolation ignored).
    /// Oblique: resampled (Linear gives Float32, Nearest keeps the type); points outside the input get
    /// `outsideValue`.
    [[nodiscard]] Image toCanonical(const Image& image, Interpolation interpolation, double outsideValue = 0.0) const;
    /// A label image on the canonical grid, or on any grid with the canonical image's direction and extent (e.g.
    /// the model's spacing; it is first taken onto the canonical grid by nearest neighbour), back onto the input
    /// grid: exact inverse when exact(), nearest neighbour otherwise. The result has the input's geometry.
    [[nodiscard]] Image back(const Image& labels) const;

    /// `image` (any grid whose index axes are the frame's: the canonical grid, the model's) mirrored left-right:
    /// voxels reversed along the frame's left-right axis, geometry kept. Its own inverse.
    [[nodiscard]] Image mirrorCopy(const Image& image) const;

    /// An empty UInt8 image with the canonical grid's geometry.
    [[nodiscard]] Image canonicalReference() const;
    /// {"input_axes": "LPS", "canonical_axes": "PIR", "method": "permutation"|"resampled", ...} for provenance.
    [[nodiscard]] nlohmann::json toJson() const;

private:
    Image inputReference() const;
    /// Copies between the input and canonical orderings (exact case; scatter = canonical -> input).
    void permuteBytes(const Image& from, Image& to, bool scatter) const;

    Size3 inputSize_{};
    Vec3 inputSpacing_{}, inputOrigin_{};
    Mat3 inputDirection_{};
    AnatomicalFrame frame_, inputFrame_;
    bool exact_{true}, mirror_{false};
    double obliqueDeg_{0.0};
    std::array<int, 3> perm_{0, 1, 2};
    std::array<bool, 3> flip_{false, false, false};
    Size3 size_{};
    Vec3 spacing_{}, origin_{};
    Mat3 direction_{};
};

} // namespace strata

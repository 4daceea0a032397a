#pragma once

#include "strata/Image.h"

namespace strata {

/// How resampling reads values between voxel centres: nearest neighbour (label maps) or trilinear.
enum class Interpolation { Nearest, Linear };

/// Resamples onto a grid with the given spacing covering the same physical extent (same origin and
/// direction). Linear gives Float32; Nearest keeps the pixel type (use it for label maps).
[[nodiscard]] Image resampleToSpacing(const Image& image, const Vec3& spacing, Interpolation interpolation);

/// Resamples `image` onto `reference`'s grid (size, spacing, origin, direction), via world coordinates.
[[nodiscard]] Image resampleLike(const Image& image, const Image& reference, Interpolation interpolation);

/// True when every axis' spacing is within `relativeTolerance` of the target.
[[nodiscard]] bool spacingMatches(const Vec3& a, const Vec3& b, double relativeTolerance = 0.01);

} // namespace strata

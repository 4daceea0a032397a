#pragma once

#include "strata/Image.h"

namespace strata {

/// Dot product of two world (LPS) vectors.
[[nodiscard]] inline double dot(const Vec3& a, const Vec3& b)
{
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

/// Cross product a x b.
[[nodiscard]] inline Vec3 cross(const Vec3& a, const Vec3& b)
{
    return {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
}

} // namespace strata

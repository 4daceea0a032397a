#pragma once

#include <algorithm>
#include <cmath>

namespace strata::phantom {

/// A small 3-vector for geometry in millimetres (the knee frame: x = L, y = P, z = S).
struct V3 {
    double x{0}, y{0}, z{0};
};

inline constexpr V3 operator+(V3 a, V3 b) { return {a.x + b.x, a.y + b.y, a.z + b.z}; }
inline constexpr V3 operator-(V3 a, V3 b) { return {a.x - b.x, a.y - b.y, a.z - b.z}; }
inline constexpr V3 operator*(V3 a, double s) { return {a.x * s, a.y * s, a.z * s}; }
inline constexpr V3 operator*(double s, V3 a) { return a * s; }
inline constexpr double dot(V3 a, V3 b) { return a.x * b.x + a.y * b.y + a.z * b.z; }
inline double length(V3 a) { return std::sqrt(dot(a, a)); }
inline V3 normalized(V3 a)
{
    const double l = length(a);
    return l > 0 ? a * (1.0 / l) : V3{0, 0, 1};
}
inline V3 vabs(V3 a) { return {std::abs(a.x), std::abs(a.y), std::abs(a.z)}; }
inline V3 vmax(V3 a, double m) { return {std::max(a.x, m), std::max(a.y, m), std::max(a.z, m)}; }

/// Row-major 3x3 matrix acting on V3.
struct M3 {
    double m[9]{1, 0, 0, 0, 1, 0, 0, 0, 1};

    V3 operator*(V3 v) const
    {
        return {m[0] * v.x + m[1] * v.y + m[2] * v.z, m[3] * v.x + m[4] * v.y + m[5] * v.z,
                m[6] * v.x + m[7] * v.y + m[8] * v.z};
    }
    M3 operator*(const M3& o) const
    {
        M3 r;
        for (int i = 0; i < 3; ++i)
            for (int j = 0; j < 3; ++j)
                r.m[3 * i + j] = m[3 * i] * o.m[j] + m[3 * i + 1] * o.m[3 + j] + m[3 * i + 2] * o.m[6 + j];
        return r;
    }
    M3 transposed() const
    {
        M3 r;
        for (int i = 0; i < 3; ++i)
            for (int j = 0; j < 3; ++j) r.m[3 * i + j] = m[3 * j + i];
        return r;
    }
};

} // namespace strata::phantom

#pragma once

// Exact signed distance functions (negative inside, millimetres) of the primitives the phantom is built
// from. Outside a shape they are exact Euclidean distances, and the minimum of exact distances is the
// exact distance to a union, which is what makes the cartilage shells exactly as thick as stated.

#include "phantom/Vec.h"

#include <algorithm>
#include <cmath>

namespace strata::phantom::sdf {

inline double sphere(V3 p, V3 c, double r) { return length(p - c) - r; }

/// Segment a-b swept by a sphere of radius r.
inline double capsule(V3 p, V3 a, V3 b, double r)
{
    const V3 pa = p - a;
    const V3 ba = b - a;
    const double h = std::clamp(dot(pa, ba) / dot(ba, ba), 0.0, 1.0);
    return length(pa - ba * h) - r;
}

/// Box centred at c with outer half extents `half`, edges rounded with radius r (r <= min(half)).
inline double roundBox(V3 p, V3 c, V3 half, double r)
{
    const V3 q = vabs(p - c) - (half - V3{r, r, r});
    return length(vmax(q, 0.0)) + std::min(std::max(q.x, std::max(q.y, q.z)), 0.0) - r;
}

/// Torus whose axis is the x axis through c: a circle of radius R in the y-z plane swept by a sphere r.
inline double torusX(V3 p, V3 c, double R, double r)
{
    const V3 q = p - c;
    const double a = std::sqrt(q.y * q.y + q.z * q.z) - R;
    return std::sqrt(a * a + q.x * q.x) - r;
}

/// Cone with spherical caps: sphere r1 at a swept to sphere r2 at b (exact, after Inigo Quilez).
inline double roundCone(V3 p, V3 a, V3 b, double r1, double r2)
{
    const V3 ba = b - a;
    const double l2 = dot(ba, ba);
    const double rr = r1 - r2;
    const double a2 = l2 - rr * rr;
    const double il2 = 1.0 / l2;
    const V3 pa = p - a;
    const double y = dot(pa, ba);
    const double z = y - l2;
    const V3 w = pa * l2 - ba * y;
    const double x2 = dot(w, w);
    const double y2 = y * y * l2;
    const double z2 = z * z * l2;
    const double k = (rr > 0 ? 1.0 : rr < 0 ? -1.0 : 0.0) * rr * rr * x2;
    if ((z > 0 ? 1.0 : z < 0 ? -1.0 : 0.0) * a2 * z2 > k) return std::sqrt(x2 + z2) * il2 - r2;
    if ((y > 0 ? 1.0 : y < 0 ? -1.0 : 0.0) * a2 * y2 < k) return std::sqrt(x2 + y2) * il2 - r1;
    return (std::sqrt(x2 * a2 * il2) + y * rr) * il2 - r1;
}

/// A stadium lying in the plane x = a.x (segment a-b in that plane, radius R) swept by a sphere of
/// radius r: a wheel-like shape, exact outside. Its sagittal section is a stadium of radius R + r.
inline double sweptStadiumX(V3 p, V3 a, V3 b, double R, double r)
{
    const double pay = p.y - a.y, paz = p.z - a.z;
    const double bay = b.y - a.y, baz = b.z - a.z;
    const double h = std::clamp((pay * bay + paz * baz) / (bay * bay + baz * baz), 0.0, 1.0);
    const double dy = pay - bay * h, dz = paz - baz * h;
    const double inPlane = std::max(std::sqrt(dy * dy + dz * dz) - R, 0.0);
    const double dx = p.x - a.x;
    return std::sqrt(inPlane * inPlane + dx * dx) - r;
}

/// Polynomial smooth minimum with blend width k (not an exact distance where |a-b| < k).
inline double smoothMin(double a, double b, double k)
{
    const double h = std::max(k - std::abs(a - b), 0.0) / k;
    return std::min(a, b) - h * h * k * 0.25;
}

/// Approximate distance to an axis-aligned ellipse in the x-y plane (exact on the curve, good near it).
inline double ellipseXY(double x, double y, double rx, double ry)
{
    const double k0 = std::sqrt((x / rx) * (x / rx) + (y / ry) * (y / ry));
    const double k1 = std::sqrt((x / (rx * rx)) * (x / (rx * rx)) + (y / (ry * ry)) * (y / (ry * ry)));
    if (k1 <= 0) return -std::min(rx, ry);
    return k0 * (k0 - 1.0) / k1;
}

} // namespace strata::phantom::sdf

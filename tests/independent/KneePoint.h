#pragma once

// Small geometry helpers of the independent knee family (issue 17, part 3). Written for this family only: nothing
// here comes from Strata's phantom generator (core/src/phantom), which this family exists to be independent of.

#include <algorithm>
#include <cmath>

namespace strata::testing::indep {

/// A point in the anatomical knee frame, millimetres: m towards the medial side, a anterior, s superior. Origin on
/// the tibial plateau between the two compartments. The same numbers describe a left and a right knee; only the
/// mapping to patient (LPS) coordinates differs (Acquisition).
struct KneePoint {
    double m{0}, a{0}, s{0};
};

inline constexpr double kPi = 3.14159265358979323846;

inline double deg(double d)
{
    return d * kPi / 180.0;
}

inline double smoothstep(double e0, double e1, double x)
{
    const double t = std::clamp((x - e0) / (e1 - e0), 0.0, 1.0);
    return t * t * (3.0 - 2.0 * t);
}

inline double lerp(double a, double b, double t)
{
    return a + (b - a) * t;
}

/// Polynomial smooth maximum of two "inside" values (positive inside, roughly millimetres to the surface): a union
/// whose crease is rounded over about k millimetres.
inline double smoothUnion(double a, double b, double k)
{
    const double h = std::max(k - std::abs(a - b), 0.0) / k;
    return std::max(a, b) + h * h * k * 0.25;
}

/// Radius of a point in a superellipse with half-axes ra, rb and exponent n (1 on its outline).
inline double superellipseRadius(double x, double y, double ra, double rb, double n)
{
    return std::pow(std::pow(std::abs(x) / ra, n) + std::pow(std::abs(y) / rb, n), 1.0 / n);
}

/// Rotates (a, s) about the m axis through (a0, s0) by `angle` radians (positive turns anterior towards inferior).
inline KneePoint rotateAboutM(const KneePoint& p, double a0, double s0, double angle)
{
    const double c = std::cos(angle), sn = std::sin(angle);
    const double da = p.a - a0, ds = p.s - s0;
    return {p.m, a0 + c * da + sn * ds, s0 - sn * da + c * ds};
}

} // namespace strata::testing::indep

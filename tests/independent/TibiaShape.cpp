#include "independent/TibiaShape.h"

#include <cmath>

namespace strata::testing::indep {

namespace {
double uni(std::mt19937_64& rng, double lo, double hi)
{
    return std::uniform_real_distribution<double>(lo, hi)(rng);
}
} // namespace

TibiaShape::TibiaShape(std::mt19937_64& rng, double scale) : noise_(rng(), 8.0)
{
    halfML_ = uni(rng, 36.0, 40.0) * scale;
    halfAP_ = uni(rng, 23.0, 26.5) * scale;
    a0_ = uni(rng, -3.0, 0.0);
    slope_ = deg(uni(rng, 3.0, 10.0));
    shaftR_ = uni(rng, 14.0, 16.0) * scale;
    medDepth_ = uni(rng, 1.2, 2.5);
    latDome_ = uni(rng, 0.6, 1.6);
    spineH_ = uni(rng, 5.0, 8.0);
    tMed_ = uni(rng, 1.7, 2.4);
    tLat_ = uni(rng, 2.2, 3.0);
    medial_ = {0.48 * halfML_, a0_ - 1.0, uni(rng, 13.0, 15.0) * scale, uni(rng, 19.0, 22.0) * scale};
    lateral_ = {-0.48 * halfML_, a0_ + 0.5, uni(rng, 12.0, 14.0) * scale, uni(rng, 15.5, 18.0) * scale};
}

double TibiaShape::spine(double m, double a) const
{
    const double da = (a - a0_) / 6.0;
    auto peak = [&](double mc) { return std::exp(-0.5 * (std::pow((m - mc) / 2.8, 2) + da * da)); };
    return spineH_ * std::max(peak(4.5), peak(-4.0));
}

double TibiaShape::plateauHeight(double m, double a) const
{
    double h = std::tan(slope_) * (a - a0_);
    const double rm = std::hypot((m - medial_.m) / medial_.rm, (a - medial_.a) / medial_.ra);
    h -= medDepth_ * std::max(0.0, 1.0 - rm * rm); // concave medial plateau
    const double daL = (a - lateral_.a) / lateral_.ra, dmL = (m - lateral_.m) / lateral_.rm;
    const double rl = std::hypot(dmL, daL);
    h += latDome_ * std::max(0.0, 1.0 - daL * daL) * (1.0 - smoothstep(0.8, 1.2, rl)); // convex lateral (sagittal)
    h += spine(m, a);
    return h;
}

double TibiaShape::outlineInside(const KneePoint& p) const
{
    const double depth = -p.s;
    const double t = smoothstep(6.0, 58.0, depth);
    const double hm = lerp(halfML_, shaftR_ * 1.1, t);
    double ha = lerp(halfAP_, shaftR_, t);
    const double ca = lerp(a0_, a0_ + 4.0, t);
    const double da = p.a - ca;
    if (da > 0) {
        // tibial tuberosity, a little lateral
        ha += 7.0 * std::exp(-std::pow((depth - 30.0) / 9.0, 2)) * std::exp(-std::pow((p.m + 5.0) / 12.0, 2));
    } else {
        // PCL notch at the back of the plateau
        ha -= 7.0 * (1.0 - t) * std::exp(-std::pow(p.m / 7.0, 2));
    }
    // the plateau rim overhangs the metaphysis a little: the outline flares just below the top
    const double nr = superellipseRadius(p.m, da, hm, ha, 2.4);
    return (1.0 - nr) * std::min(hm, ha);
}

double TibiaShape::inside(const KneePoint& p) const
{
    return std::min(plateauHeight(p.m, p.a) - p.s, outlineInside(p));
}

double TibiaShape::cartilageThickness(double m, double a, int* compartment) const
{
    *compartment = 0;
    const double rm = std::hypot((m - medial_.m) / medial_.rm, (a - medial_.a) / medial_.ra);
    const double rl = std::hypot((m - lateral_.m) / lateral_.rm, (a - lateral_.a) / lateral_.ra);
    const bool med = rm < rl;
    const double r = med ? rm : rl;
    if (r >= 1.0) return 0.0;
    double t = (med ? tMed_ : tLat_) * (1.0 + 0.2 * noise_(m, a, 0.0));
    t *= 0.3 + 0.7 * smoothstep(1.0, 0.7, r);
    t *= 1.0 - smoothstep(1.5, 4.0, spine(m, a)); // none on the spines
    if (t < 0.25) return 0.0;
    *compartment = med ? 1 : -1;
    return t;
}

double TibiaShape::articularTop(double m, double a) const
{
    int c = 0;
    return plateauHeight(m, a) + cartilageThickness(m, a, &c);
}

} // namespace strata::testing::indep

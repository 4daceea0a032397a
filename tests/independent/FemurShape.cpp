#include "independent/FemurShape.h"

#include <cmath>

namespace strata::testing::indep {

namespace {
double uni(std::mt19937_64& rng, double lo, double hi)
{
    return std::uniform_real_distribution<double>(lo, hi)(rng);
}
} // namespace

FemurShape::FemurShape(std::mt19937_64& rng, double scale) : noise_(rng(), 9.0)
{
    width_ = uni(rng, 75.0, 85.0) * scale;
    medial_.tube = uni(rng, 14.5, 16.5) * scale;
    lateral_.tube = uni(rng, 13.5, 15.5) * scale;
    medial_.m = width_ / 2 - medial_.tube;
    lateral_.m = -(width_ / 2 - lateral_.tube);
    medial_.radius = uni(rng, 22.0, 25.0) * scale;
    lateral_.radius = uni(rng, 20.5, 23.5) * scale;
    medial_.antGrow = uni(rng, 0.10, 0.20);
    lateral_.antGrow = uni(rng, 0.15, 0.25);
    medial_.postShrink = uni(rng, 0.05, 0.12);
    lateral_.postShrink = uni(rng, 0.05, 0.12);
    centreA_ = uni(rng, -5.0, -1.0);
    shaftR_ = uni(rng, 13.0, 15.0) * scale;
    shaftA_ = centreA_ + uni(rng, 6.0, 10.0);
    grooveM_ = uni(rng, -4.0, 2.0);
    grooveDepth_ = uni(rng, 4.0, 7.0);
    grooveSigma_ = uni(rng, 7.0, 10.0);
    latFacet_ = uni(rng, 3.0, 5.0);
    medFacet_ = uni(rng, 1.0, 3.0);
    tf0_ = uni(rng, 2.0, 2.6);
    for (auto& spot : thinM_) {
        spot[0] = uni(rng, -100.0, 40.0);
        spot[1] = uni(rng, -50.0, 50.0);
    }
}

double FemurShape::pathRadius(const Wheel& w, double theta) const
{
    // theta: 0 points inferior, +90 anterior, -90 posterior (degrees). A J-curve: the anterior (patellofemoral)
    // part flatter and larger, the posterior condyle tighter.
    const double grow = w.antGrow * smoothstep(15.0, 100.0, theta);
    const double shrink = w.postShrink * smoothstep(-20.0, -110.0, theta);
    return w.radius * (1.0 + grow - shrink) - w.tube;
}

double FemurShape::wheelInside(const Wheel& w, const KneePoint& p, double* theta, double* psi) const
{
    const double da = p.a - centreA_, ds = p.s, dm = p.m - w.m;
    const double r = std::hypot(da, ds);
    const double th = std::atan2(da, -ds) * 180.0 / kPi;
    const double P = pathRadius(w, th);
    const double radial = r - P;
    if (theta) *theta = th;
    if (psi) *psi = std::atan2(dm, radial) * 180.0 / kPi;
    return w.tube - std::hypot(radial, dm);
}

double FemurShape::bodyInside(const KneePoint& p) const
{
    // Lofted superellipse: at s = 0 (the condyles' centre height) as wide as the condyles and ~44 mm deep, 60 mm up
    // the round shaft.
    const double t = smoothstep(4.0, 62.0, p.s);
    const double halfM = lerp(width_ / 2 - 2.0, shaftR_, t);
    const double halfA = lerp(19.0, shaftR_, t);
    const double cA = lerp(centreA_ + 3.0, shaftA_, t);
    double da = p.a - cA;
    double halfSide = halfA;
    if (da > 0) {
        // Trochlea: the anterior face, lateral facet higher than the medial, a groove between them; fades out
        // above the trochlea.
        const double f = 1.0 - smoothstep(20.0, 48.0, p.s);
        const double facet = (p.m < grooveM_ ? latFacet_ : medFacet_) * smoothstep(0.0, 12.0, std::abs(p.m - grooveM_));
        const double groove = grooveDepth_ * std::exp(-std::pow(p.m - grooveM_, 2) / (2 * grooveSigma_ * grooveSigma_));
        halfSide = halfA + f * (4.0 + facet - groove);
    }
    const double nr = superellipseRadius(p.m, da, halfM, halfSide, 2.6);
    const double side = (1.0 - nr) * std::min(halfM, halfSide);
    const double bottom = p.s + 1.0; // flat roof of the intercondylar notch, 1 mm below the condyles' centres
    return std::min(side, bottom);
}

double FemurShape::inside(const KneePoint& p) const
{
    const double wm = wheelInside(medial_, p, nullptr, nullptr);
    const double wl = wheelInside(lateral_, p, nullptr, nullptr);
    return smoothUnion(smoothUnion(wm, wl, 2.0), bodyInside(p), 4.0);
}

double FemurShape::cartilageThickness(const KneePoint& p) const
{
    const double variation = 1.0 + 0.22 * noise_(p.m, p.a, p.s);
    // Condyles: from high on the posterior condyle (-140 deg) round the distal surface into the trochlea anteriorly;
    // not on the notch side of the tube. Both rules below are evaluated near their surface (not only where their
    // part dominates the union), so the sheet has no seam where the condyles meet the trochlea: one piece.
    double t = 0.0;
    for (const Wheel* w : {&medial_, &lateral_}) {
        double th = 0, ps = 0;
        if (wheelInside(*w, p, &th, &ps) < -6.0) continue;
        const double psNotch = w == &medial_ ? -ps : ps; // positive towards the notch
        if (th < -140.0 || th > 120.0 || psNotch > 35.0 || psNotch < -60.0) continue;
        double tc = tf0_ * variation;
        const double margin = std::min({th + 140.0, 120.0 - th, 35.0 - psNotch, psNotch + 60.0});
        tc *= 0.35 + 0.65 * smoothstep(0.0, 18.0, margin);
        for (const auto& spot : thinM_) {
            const double d2 = std::pow((th - spot[0]) / 14.0, 2) + std::pow((psNotch - spot[1]) / 20.0, 2);
            tc *= 1.0 - 0.45 * std::exp(-d2);
        }
        tc *= 1.0 + 0.1 * std::cos(deg(th + 20.0)); // thicker distally-posteriorly, thinner anteriorly
        t = std::max(t, tc);
    }
    // Trochlea: the anterior face from the condyles up about 30 mm, across the groove and both facets.
    const double da = p.a - centreA_;
    const double halfW = 0.42 * width_;
    if (da >= 5.0 && p.s >= -2.0 && p.s <= 32.0 && std::abs(p.m - grooveM_) <= halfW && bodyInside(p) > -6.0) {
        const double margin = std::min({32.0 - p.s, halfW - std::abs(p.m - grooveM_)});
        t = std::max(t, (tf0_ + 0.3) * variation * (0.35 + 0.65 * smoothstep(0.0, 8.0, margin)));
    }
    return t;
}

} // namespace strata::testing::indep

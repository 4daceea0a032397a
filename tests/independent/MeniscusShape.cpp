#include "independent/MeniscusShape.h"

#include <cmath>

namespace strata::testing::indep {

namespace {
double uni(std::mt19937_64& rng, double lo, double hi)
{
    return std::uniform_real_distribution<double>(lo, hi)(rng);
}
} // namespace

MeniscusShape::MeniscusShape(std::mt19937_64& rng, bool medial, double centreM, double centreA, double radiusM,
                             double radiusA, double scale)
    : medial_(medial), cm_(centreM), ca_(centreA), rm_(radiusM), ra_(radiusA)
{
    gapDeg_ = medial ? uni(rng, 35.0, 50.0) : uni(rng, 18.0, 28.0);
    wAnt_ = (medial ? uni(rng, 6.5, 8.5) : uni(rng, 8.5, 10.5)) * scale;
    wPost_ = (medial ? uni(rng, 11.0, 14.0) : uni(rng, 9.0, 11.0)) * scale;
    h_ = uni(rng, 5.0, 7.0) * scale;
    rOut_ = uni(rng, 1.08, 1.18);
}

double MeniscusShape::height(double m, double a) const
{
    const double towardsNotch = medial_ ? -1.0 : 1.0;
    const double x = (m - cm_) * towardsNotch / rm_, y = (a - ca_) / ra_;
    const double r = std::hypot(x, y);
    if (r > rOut_ || r < 0.3) return 0.0;
    const double phi = std::abs(std::atan2(y, x)) * 180.0 / kPi; // 0 towards the notch
    if (phi < gapDeg_) return 0.0;
    const double meanR = 0.5 * (rm_ + ra_);
    const double posterior = smoothstep(0.2, -0.6, y / std::max(r, 1e-6));
    const double width = lerp(wAnt_, wPost_, posterior) / meanR;
    const double rIn = rOut_ - width;
    if (r < rIn) return 0.0;
    const double rise = std::clamp((r - rIn) / std::max(width - 0.08, 0.05), 0.0, 1.0);
    const double horn = 0.45 + 0.55 * smoothstep(gapDeg_, gapDeg_ + 30.0, phi);
    return h_ * rise * horn;
}

} // namespace strata::testing::indep

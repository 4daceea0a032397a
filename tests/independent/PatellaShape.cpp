#include "independent/PatellaShape.h"

#include <cmath>

namespace strata::testing::indep {

namespace {
double uni(std::mt19937_64& rng, double lo, double hi)
{
    return std::uniform_real_distribution<double>(lo, hi)(rng);
}
} // namespace

PatellaShape::PatellaShape(std::mt19937_64& rng, double scale) : noise_(rng(), 7.0)
{
    A_ = uni(rng, 20.0, 23.5) * scale;
    Bup_ = uni(rng, 19.0, 22.0) * scale;
    Bdown_ = Bup_ * uni(rng, 0.8, 0.92);
    Cant_ = uni(rng, 7.5, 9.0) * scale;
    Cpost_ = uni(rng, 8.0, 10.0) * scale;
    ridge_ = uni(rng, 0.2, 0.35);
    ridgeU_ = uni(rng, -4.0, 0.0); // the ridge sits a little lateral of the middle (lateral facet longer)
    n_ = uni(rng, 2.2, 2.7);
    t0_ = uni(rng, 2.6, 3.6);
}

double PatellaShape::backDepth(double u) const
{
    return Cpost_ * (1.0 + ridge_ * std::max(0.0, 1.0 - std::abs(u - ridgeU_) / (0.9 * A_)));
}

double PatellaShape::form(double u, double v, double w, double extraBack) const
{
    const double B = v >= 0 ? Bup_ : Bdown_;
    const double A = v >= 0 ? A_ : A_ * (1.0 + 0.35 * v / Bdown_); // narrower towards the inferior pole
    const double C = w >= 0 ? Cant_ : backDepth(u) + extraBack;
    return std::pow(std::pow(std::abs(u) / std::max(A, 1.0), n_) + std::pow(std::abs(v) / B, n_) +
                        std::pow(std::abs(w) / C, n_),
                    1.0 / n_);
}

double PatellaShape::inside(double u, double v, double w) const
{
    return (1.0 - form(u, v, w, 0.0)) * Cpost_;
}

double PatellaShape::cartilageThickness(double u, double v) const
{
    if (v < -0.7 * Bdown_) return 0.0;
    const double fu = std::abs(u) / A_, fv = v >= 0 ? v / Bup_ : -v / (0.7 * Bdown_);
    if (fu >= 0.95 || fv >= 0.95) return 0.0;
    const double edge = (1.0 - std::pow(fu / 0.95, 4)) * (1.0 - std::pow(fv / 0.95, 4));
    return t0_ * (1.0 + 0.18 * noise_(u, v, 0.0)) * (0.3 + 0.7 * edge);
}

bool PatellaShape::isCartilage(double u, double v, double w) const
{
    if (w >= 0) return false;
    const double t = cartilageThickness(u, v);
    if (t <= 0) return false;
    return form(u, v, w, 0.0) > 1.0 && form(u, v, w, t) <= 1.0;
}

double PatellaShape::posteriorSurface(double u, double v) const
{
    const double t = cartilageThickness(u, v);
    const double B = v >= 0 ? Bup_ : Bdown_;
    const double A = v >= 0 ? A_ : A_ * (1.0 + 0.35 * v / Bdown_);
    const double rest = 1.0 - std::pow(std::abs(u) / A, n_) - std::pow(std::abs(v) / B, n_);
    if (rest <= 0) return 0.0;
    return -(backDepth(u) + t) * std::pow(rest, 1.0 / n_);
}

} // namespace strata::testing::indep

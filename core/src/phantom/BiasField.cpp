#include "phantom/BiasField.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace strata::phantom {

BiasField::BiasField(Rng& rng, double strength) : strength_(strength)
{
    // Weights of the linear part and the waves sum to 1 so |f| <= 1.
    const double linearWeight = rng.uniform(0.3, 0.6);
    const double cz = rng.uniform(-1.0, 1.0);
    const double phi = rng.uniform(0.0, 2.0 * std::numbers::pi);
    const double sz = std::sqrt(1.0 - cz * cz);
    gradient_ = V3{sz * std::cos(phi), sz * std::sin(phi), cz} * linearWeight;
    std::array<double, 3> raw{};
    double rawSum = 0;
    for (auto& w : raw) rawSum += (w = rng.uniform(0.2, 1.0));
    for (std::size_t i = 0; i < waves_.size(); ++i) {
        auto& w = waves_[i];
        const double wz = rng.uniform(-1.0, 1.0);
        const double wphi = rng.uniform(0.0, 2.0 * std::numbers::pi);
        const double ws = std::sqrt(1.0 - wz * wz);
        const double wavelength = rng.uniform(150.0, 300.0);
        w.k = V3{ws * std::cos(wphi), ws * std::sin(wphi), wz} * (2.0 * std::numbers::pi / wavelength);
        w.weight = (1.0 - linearWeight) * raw[i] / rawSum;
        w.phase = rng.uniform(0.0, 2.0 * std::numbers::pi);
    }
}

double BiasField::operator()(V3 world) const
{
    // The linear part saturates smoothly (tanh) at +-gradientRange_ mm so it stays bounded.
    const double linear = length(gradient_) *
                          std::tanh(dot(normalized(gradient_), world) / gradientRange_);
    double f = linear;
    for (const auto& w : waves_) f += w.weight * std::cos(dot(w.k, world) + w.phase);
    return 1.0 + strength_ * std::clamp(f, -1.0, 1.0);
}

nlohmann::json BiasField::toJson() const
{
    nlohmann::json waves = nlohmann::json::array();
    for (const auto& w : waves_)
        waves.push_back({{"k_rad_per_mm", {w.k.x, w.k.y, w.k.z}}, {"weight", w.weight}, {"phase_rad", w.phase}});
    return {{"strength", strength_},
            {"model", "1 + strength * (|g| tanh(g.p / |g| / range) + sum w cos(k.p + phase)), p world mm"},
            {"gradient", {gradient_.x, gradient_.y, gradient_.z}},
            {"range_mm", gradientRange_},
            {"waves", waves}};
}

} // namespace strata::phantom

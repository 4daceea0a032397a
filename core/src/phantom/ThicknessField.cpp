#include "phantom/ThicknessField.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace strata::phantom {

ThicknessField::ThicknessField(Rng& rng, double baseLow, double baseHigh, V3 centre)
{
    base_ = rng.uniform(baseLow, baseHigh);
    for (auto& w : waves_) {
        // Random direction (uniform on the sphere), wavelength 25-60 mm.
        const double cz = rng.uniform(-1.0, 1.0);
        const double phi = rng.uniform(0.0, 2.0 * std::numbers::pi);
        const double sz = std::sqrt(1.0 - cz * cz);
        const double wavelength = rng.uniform(25.0, 60.0);
        const double k = 2.0 * std::numbers::pi / wavelength;
        w.k = V3{sz * std::cos(phi), sz * std::sin(phi), cz} * k;
        w.amplitude = rng.uniform(0.12, 0.3);
        w.phase = rng.uniform(0.0, 2.0 * std::numbers::pi);
    }
    bumpCentre_ = centre + V3{rng.symmetric(8.0), rng.symmetric(8.0), rng.symmetric(8.0)};
    bumpAmplitude_ = rng.symmetric(0.6);
    bumpSigma_ = rng.uniform(6.0, 12.0);
}

double ThicknessField::operator()(V3 q) const
{
    double t = base_;
    for (const auto& w : waves_) t += w.amplitude * std::cos(dot(w.k, q) + w.phase);
    const V3 d = q - bumpCentre_;
    t += bumpAmplitude_ * std::exp(-0.5 * dot(d, d) / (bumpSigma_ * bumpSigma_));
    return std::clamp(t, kMin, kMax);
}

nlohmann::json ThicknessField::toJson() const
{
    nlohmann::json waves = nlohmann::json::array();
    for (const auto& w : waves_)
        waves.push_back({{"k_rad_per_mm", {w.k.x, w.k.y, w.k.z}}, {"amplitude_mm", w.amplitude}, {"phase_rad", w.phase}});
    return {{"base_mm", base_},
            {"waves", waves},
            {"bump", {{"centre_mm", {bumpCentre_.x, bumpCentre_.y, bumpCentre_.z}},
                      {"amplitude_mm", bumpAmplitude_},
                      {"sigma_mm", bumpSigma_}}},
            {"clamp_mm", {kMin, kMax}}};
}

} // namespace strata::phantom

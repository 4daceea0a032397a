#pragma once

#include "phantom/Rng.h"
#include "phantom/Vec.h"

#include <nlohmann/json.hpp>

#include <array>

namespace strata::phantom {

/// A smooth cartilage thickness t(q) in mm over bone-surface points q: a base value plus a few
/// low-frequency plane waves and one Gaussian bump, clamped to [kMin, kMax].
class ThicknessField {
public:
    static constexpr double kMin = 1.5;
    static constexpr double kMax = 3.5;

    ThicknessField() = default;
    /// Draws a field with mean level in [baseLow, baseHigh) around the plate centre `centre`.
    ThicknessField(Rng& rng, double baseLow, double baseHigh, V3 centre);

    double operator()(V3 q) const;
    nlohmann::json toJson() const;

private:
    struct Wave {
        V3 k;          // wave vector (rad/mm)
        double amplitude{0};
        double phase{0};
    };
    double base_{2.5};
    std::array<Wave, 3> waves_{};
    V3 bumpCentre_;
    double bumpAmplitude_{0};
    double bumpSigma_{10};
};

} // namespace strata::phantom

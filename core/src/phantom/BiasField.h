#pragma once

#include "phantom/Rng.h"
#include "phantom/Vec.h"

#include <nlohmann/json.hpp>

#include <array>

namespace strata::phantom {

/// A smooth multiplicative intensity bias 1 + strength * f(p), |f| <= 1, in world coordinates (mm):
/// a linear coil-like gradient plus a few very low-frequency plane waves.
class BiasField {
public:
    BiasField() = default;
    BiasField(Rng& rng, double strength);

    double operator()(V3 world) const;
    nlohmann::json toJson() const;

private:
    struct Wave {
        V3 k;
        double weight{0};
        double phase{0};
    };
    double strength_{0};
    V3 gradient_;          // weight / mm of the linear part
    double gradientRange_{60};
    std::array<Wave, 3> waves_{};
};

} // namespace strata::phantom

#pragma once

#include "strata/Image.h"

#include <cstdint>

namespace strata::phantom {

/// Knobs of the synthetic knee MRI phantom. Everything not set here is drawn from the seed.
struct KneePhantomParams {
    std::uint64_t seed{1};
    Size3 size{256, 256, 160};
    Vec3 spacing{0.4, 0.4, 0.7};
    double snr{25.0};               ///< Rician noise: cartilage signal / noise sigma.
    double biasStrength{0.2};       ///< Peak relative amplitude of the smooth multiplicative bias field.
    double blurSigmaMm{0.35};       ///< Partial-volume blur (Gaussian sigma, mm).
    double maxRotationDeg{8.0};     ///< Pose: rotation about each axis uniformly in +-max.
    double maxTranslationMm{5.0};   ///< Pose: translation along each axis uniformly in +-max.
    double contrastJitter{0.15};    ///< Relative random change of each tissue's intensity.
    double sizeJitter{0.1};         ///< Relative random change of the anatomy's scale.
    double snrJitter{0.1};          ///< Relative random change of the SNR (the drawn value is in the ground truth).
    bool rightKnee{true};
    /// Worker threads (0 = std::thread::hardware_concurrency()). Does not change the output.
    unsigned threads{0};
};

} // namespace strata::phantom

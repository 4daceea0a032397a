#pragma once

#include <cstdint>

namespace strata::testing::indep {

/// Smooth pseudo-random scalar field in [-1, 1]: hashed lattice values, quintic-interpolated, two octaves. Used for
/// cartilage thickness variation, marrow texture and soft-tissue boundaries. Deterministic per seed.
class ValueNoise {
public:
    explicit ValueNoise(std::uint64_t seed, double wavelengthMm) : seed_(seed), inv_(1.0 / wavelengthMm) {}
    double operator()(double x, double y, double z) const;

private:
    double lattice(long i, long j, long k) const;
    double octave(double x, double y, double z) const;

    std::uint64_t seed_;
    double inv_;
};

} // namespace strata::testing::indep

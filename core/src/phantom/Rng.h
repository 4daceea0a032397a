#pragma once

// Deterministic random numbers with explicitly defined conversions, so that a seed gives the same
// values with every compiler and standard library (std::*_distribution outputs are not specified).

#include <cmath>
#include <cstdint>
#include <numbers>
#include <utility>

namespace strata::phantom {

/// SplitMix64 finaliser: a good 64-bit mixing function.
inline constexpr std::uint64_t mix64(std::uint64_t z)
{
    z += 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/// Seed of an independent stream `stream` (and sub-stream `index`) derived from a user seed.
inline constexpr std::uint64_t streamSeed(std::uint64_t seed, std::uint64_t stream, std::uint64_t index = 0)
{
    return mix64(mix64(mix64(seed) ^ stream) ^ index);
}

/// xoshiro256** generator seeded through SplitMix64.
class Rng {
public:
    explicit Rng(std::uint64_t seed)
    {
        std::uint64_t z = seed;
        for (auto& s : s_) {
            z += 0x9E3779B97F4A7C15ull;
            s = mix64(z);
        }
    }

    std::uint64_t next()
    {
        const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
        const std::uint64_t t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = rotl(s_[3], 45);
        return result;
    }

    /// Uniform in [0, 1) with 53 random bits.
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    /// Uniform in [a, b).
    double uniform(double a, double b) { return a + (b - a) * uniform(); }
    /// Uniform in [-m, m).
    double symmetric(double m) { return uniform(-m, m); }

    /// Two independent standard normal values (Box-Muller).
    std::pair<double, double> normalPair()
    {
        const double u1 = (static_cast<double>(next() >> 11) + 1.0) * 0x1.0p-53; // (0, 1]
        const double u2 = uniform();
        const double r = std::sqrt(-2.0 * std::log(u1));
        const double a = 2.0 * std::numbers::pi * u2;
        return {r * std::cos(a), r * std::sin(a)};
    }
    double normal() { return normalPair().first; }

private:
    static constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    std::uint64_t s_[4]{};
};

} // namespace strata::phantom

#include "independent/ValueNoise.h"

#include <cmath>

namespace strata::testing::indep {

double ValueNoise::lattice(long i, long j, long k) const
{
    std::uint64_t h = seed_ * 0x9E3779B97F4A7C15ull;
    h ^= static_cast<std::uint64_t>(i) * 0xBF58476D1CE4E5B9ull;
    h ^= static_cast<std::uint64_t>(j) * 0x94D049BB133111EBull;
    h ^= static_cast<std::uint64_t>(k) * 0xD6E8FEB86659FD93ull;
    h ^= h >> 31;
    h *= 0xD6E8FEB86659FD93ull;
    h ^= h >> 29;
    return static_cast<double>(h >> 11) * (2.0 / 9007199254740992.0) - 1.0;
}

double ValueNoise::octave(double x, double y, double z) const
{
    const double fx = std::floor(x), fy = std::floor(y), fz = std::floor(z);
    const long i = static_cast<long>(fx), j = static_cast<long>(fy), k = static_cast<long>(fz);
    auto fade = [](double t) { return t * t * t * (t * (t * 6 - 15) + 10); };
    const double u = fade(x - fx), v = fade(y - fy), w = fade(z - fz);
    double c[2][2];
    for (int b = 0; b < 2; ++b)
        for (int a = 0; a < 2; ++a)
            c[b][a] = lattice(i, j + a, k + b) * (1 - u) + lattice(i + 1, j + a, k + b) * u;
    const double c0 = c[0][0] * (1 - v) + c[0][1] * v;
    const double c1 = c[1][0] * (1 - v) + c[1][1] * v;
    return c0 * (1 - w) + c1 * w;
}

double ValueNoise::operator()(double x, double y, double z) const
{
    x *= inv_;
    y *= inv_;
    z *= inv_;
    return 0.7 * octave(x, y, z) + 0.3 * octave(2.03 * x + 17.1, 2.03 * y - 5.3, 2.03 * z + 9.7);
}

} // namespace strata::testing::indep

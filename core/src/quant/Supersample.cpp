#include "quant/Supersample.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace strata::quant::detail {

std::array<long, 3> supersampleFactors(const Vec3& spacing, double maxSubvoxelMm)
{
    std::array<long, 3> f{1, 1, 1};
    if (maxSubvoxelMm <= 0.0) return f;
    for (std::size_t a = 0; a < 3; ++a)
        f[a] = std::max(1L, static_cast<long>(std::ceil(spacing[a] / maxSubvoxelMm - 1e-9)));
    return f;
}

BinaryVolume supersample(const BinaryVolume& v, const std::array<long, 3>& f)
{
    BinaryVolume out;
    for (std::size_t a = 0; a < 3; ++a) {
        out.size[a] = v.size[a] * f[a];
        out.offset[a] = v.offset[a] * f[a];
        out.spacing[a] = v.spacing[a] / static_cast<double>(f[a]);
    }
    out.inside.assign(static_cast<std::size_t>(out.size[0] * out.size[1] * out.size[2]), 0);
    if (v.foregroundCount == 0) return out;
    // Per axis and fine index: the lower coarse index and the weight of the upper one (clamped at the box).
    std::array<std::vector<long>, 3> lower;
    std::array<std::vector<float>, 3> weight;
    for (std::size_t a = 0; a < 3; ++a) {
        lower[a].resize(static_cast<std::size_t>(out.size[a]));
        weight[a].resize(static_cast<std::size_t>(out.size[a]));
        for (long t = 0; t < out.size[a]; ++t) {
            const double u = (static_cast<double>(t) + 0.5) / static_cast<double>(f[a]) - 0.5; // coarse coordinate
            const long l = std::clamp(static_cast<long>(std::floor(u)), 0L, v.size[a] - 2);
            lower[a][static_cast<std::size_t>(t)] = l;
            weight[a][static_cast<std::size_t>(t)] = static_cast<float>(std::clamp(u - static_cast<double>(l), 0.0, 1.0));
        }
    }
    const auto at = [&](long x, long y, long z) { return static_cast<float>(v.inside[v.index(x, y, z)]); };
    std::size_t count = 0;
    for (long z = 0; z < out.size[2]; ++z) {
        const long z0 = lower[2][static_cast<std::size_t>(z)];
        const float wz = weight[2][static_cast<std::size_t>(z)];
        for (long y = 0; y < out.size[1]; ++y) {
            const long y0 = lower[1][static_cast<std::size_t>(y)];
            const float wy = weight[1][static_cast<std::size_t>(y)];
            for (long x = 0; x < out.size[0]; ++x) {
                const long x0 = lower[0][static_cast<std::size_t>(x)];
                const float wx = weight[0][static_cast<std::size_t>(x)];
                const float c00 = at(x0, y0, z0) * (1 - wx) + at(x0 + 1, y0, z0) * wx;
                const float c10 = at(x0, y0 + 1, z0) * (1 - wx) + at(x0 + 1, y0 + 1, z0) * wx;
                const float c01 = at(x0, y0, z0 + 1) * (1 - wx) + at(x0 + 1, y0, z0 + 1) * wx;
                const float c11 = at(x0, y0 + 1, z0 + 1) * (1 - wx) + at(x0 + 1, y0 + 1, z0 + 1) * wx;
                const float value = (c00 * (1 - wy) + c10 * wy) * (1 - wz) + (c01 * (1 - wy) + c11 * wy) * wz;
                if (value >= 0.5f) {
                    out.inside[out.index(x, y, z)] = 1;
                    ++count;
                }
            }
        }
    }
    out.foregroundCount = count;
    return out;
}

std::vector<float> averageToCoarse(const BinaryVolume& coarse, const BinaryVolume& fine, const std::array<long, 3>& f,
                                   const std::vector<float>& fineValues, std::size_t& missing)
{
    missing = 0;
    std::vector<float> out(coarse.voxelCount(), 0.0f);
    for (long z = 0; z < coarse.size[2]; ++z)
        for (long y = 0; y < coarse.size[1]; ++y)
            for (long x = 0; x < coarse.size[0]; ++x) {
                const std::size_t c = coarse.index(x, y, z);
                if (!coarse.inside[c]) continue;
                double sum = 0;
                int n = 0;
                for (long k = z * f[2]; k < (z + 1) * f[2]; ++k)
                    for (long j = y * f[1]; j < (y + 1) * f[1]; ++j)
                        for (long i = x * f[0]; i < (x + 1) * f[0]; ++i) {
                            const std::size_t s = fine.index(i, j, k);
                            if (!fine.inside[s]) continue;
                            sum += fineValues[s];
                            ++n;
                        }
                if (n > 0) {
                    out[c] = static_cast<float>(sum / n);
                } else {
                    out[c] = std::numeric_limits<float>::quiet_NaN();
                    ++missing;
                }
            }
    return out;
}

} // namespace strata::quant::detail

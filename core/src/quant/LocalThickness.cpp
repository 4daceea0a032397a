#include "quant/LocalThickness.h"

#include "quant/DistanceTransform.h"
#include "ParallelFor.h"
#include "strata/Error.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <vector>

namespace strata::quant::detail {

std::array<long, 3> ridgeStep(const Vec3& h, long dx, long dy, long dz)
{
    const std::array<double, 3> e{std::abs(static_cast<double>(dx) * h[0]), std::abs(static_cast<double>(dy) * h[1]),
                                  std::abs(static_cast<double>(dz) * h[2])};
    const int a = e[0] >= e[1] && e[0] >= e[2] ? 0 : (e[1] >= e[2] ? 1 : 2);
    const std::array<long, 3> d{dx, dy, dz};
    std::array<long, 3> step{0, 0, 0};
    step[static_cast<std::size_t>(a)] = d[static_cast<std::size_t>(a)] >= 0 ? 1 : -1;
    return step;
}

double sphereDiameter(const Vec3& h, long dx, long dy, long dz, double nextDistance, const LocalThicknessOptions& options)
{
    const double ex = static_cast<double>(dx) * h[0], ey = static_cast<double>(dy) * h[1],
                 ez = static_cast<double>(dz) * h[2];
    const double d = std::sqrt(ex * ex + ey * ey + ez * ez);
    if (!options.subvoxel) return 2.0 * d;
    const auto s = ridgeStep(h, dx, dy, dz);
    const int a = s[0] != 0 ? 0 : (s[1] != 0 ? 1 : 2);
    const double ea = std::abs(a == 0 ? ex : (a == 1 ? ey : ez));
    // Grid step along u = e / d: 1 / sum_i |u_i| / h_i = d / (|dx| + |dy| + |dz|).
    const double step = d / static_cast<double>(std::labs(dx) + std::labs(dy) + std::labs(dz));
    return d + nextDistance + (ea / d) * h[static_cast<std::size_t>(a)] - step;
}

std::vector<float> localThicknessOfVolume(const BinaryVolume& vol, const LocalThicknessOptions& options,
                                          std::stop_token stop, const ProgressFn& progress, double lo, double hi,
                                          std::vector<float>* medial)
{
    if (medial) medial->assign(vol.voxelCount(), 0.0f);
    const std::size_t n = vol.voxelCount();
    std::vector<float> thickness(n, 0.0f);
    if (vol.foregroundCount == 0) return thickness;
    const long nx = vol.size[0], ny = vol.size[1], nz = vol.size[2];
    const Vec3& h = vol.spacing;

    reportProgress(progress, lo, "Distance transform");
    DistanceField field = distanceToBackground(vol, stop);
    throwIfStopped(stop);
    reportProgress(progress, lo + 0.3 * (hi - lo), "Largest inscribed spheres");

    // Radius^2 (from the exact integer offset to the nearest background voxel) per voxel, then diameter.
    std::vector<double> radius2(n, 0.0);
    std::vector<float> diameter(n, 0.0f);
    const auto featureOffset = [&](long x, long y, long z) {
        const long q = static_cast<long>(field.nearest[vol.index(x, y, z)]);
        return std::array<long, 3>{x - q % nx, y - (q / nx) % ny, z - q / (nx * ny)};
    };
    for (long z = 1; z < nz - 1; ++z) {
        throwIfStopped(stop);
        for (long y = 1; y < ny - 1; ++y)
            for (long x = 1; x < nx - 1; ++x) {
                const std::size_t i = vol.index(x, y, z);
                if (!vol.inside[i]) continue;
                const auto o = featureOffset(x, y, z);
                const double ex = static_cast<double>(o[0]) * h[0], ey = static_cast<double>(o[1]) * h[1],
                             ez = static_cast<double>(o[2]) * h[2];
                radius2[i] = ex * ex + ey * ey + ez * ez;
            }
    }
    for (long z = 1; z < nz - 1; ++z) {
        throwIfStopped(stop);
        for (long y = 1; y < ny - 1; ++y)
            for (long x = 1; x < nx - 1; ++x) {
                const std::size_t i = vol.index(x, y, z);
                if (!vol.inside[i]) continue;
                const auto o = featureOffset(x, y, z);
                const auto s = ridgeStep(h, o[0], o[1], o[2]);
                const double next = std::sqrt(radius2[vol.index(x + s[0], y + s[1], z + s[2])]);
                diameter[i] = static_cast<float>(sphereDiameter(h, o[0], o[1], o[2], next, options));
            }
    }
    field = {};

    // Ridge centres: a centre whose open ball lies inside a neighbour's ball (d(n) >= d(c) + |n - c|)
    // with a diameter at least as large paints nothing new.
    std::array<std::array<long, 3>, 26> offsets{};
    std::array<double, 26> offsetLength{};
    {
        int m = 0;
        for (long k = -1; k <= 1; ++k)
            for (long j = -1; j <= 1; ++j)
                for (long i = -1; i <= 1; ++i) {
                    if (i == 0 && j == 0 && k == 0) continue;
                    offsets[static_cast<std::size_t>(m)] = {i, j, k};
                    offsetLength[static_cast<std::size_t>(m)] = std::sqrt(
                        std::pow(static_cast<double>(i) * h[0], 2) + std::pow(static_cast<double>(j) * h[1], 2) +
                        std::pow(static_cast<double>(k) * h[2], 2));
                    ++m;
                }
    }
    const double h0sq = h[0] * h[0], h1sq = h[1] * h[1], h2sq = h[2] * h[2];
    std::vector<std::size_t> ridges;
    for (long z = 1; z < nz - 1; ++z) {
        throwIfStopped(stop);
        for (long y = 1; y < ny - 1; ++y)
            for (long x = 1; x < nx - 1; ++x) {
                const std::size_t c = vol.index(x, y, z);
                if (!vol.inside[c]) continue;
                const double r = std::sqrt(radius2[c]);
                const float dc = diameter[c];
                bool ridge = true;
                for (std::size_t m = 0; m < offsets.size() && ridge; ++m) {
                    const std::size_t nb = vol.index(x + offsets[m][0], y + offsets[m][1], z + offsets[m][2]);
                    if (vol.inside[nb] && diameter[nb] >= dc && std::sqrt(radius2[nb]) >= r + offsetLength[m] - 1e-9)
                        ridge = false;
                }
                if (!ridge) continue;
                if (medial) (*medial)[c] = dc;
                ridges.push_back(c);
            }
    }
    reportProgress(progress, lo + 0.4 * (hi - lo), "Largest inscribed spheres");

    // Paint every ridge ball with its diameter (the maximum wins). Each thread owns a band of z planes of the
    // output and paints the part of each ball that falls in it: no two threads write one voxel, and since the
    // maximum does not depend on the order the result is the same whatever the number of threads.
    const auto paintBand = [&](long zLo, long zHi, bool reports) {
        std::size_t done = 0;
        for (const std::size_t c : ridges) {
            if ((++done & 1023u) == 0) {
                if (stop.stop_requested()) return;
                if (reports && (done & 65535u) == 0)
                    reportProgress(progress, lo + (0.4 + 0.6 * static_cast<double>(done) / static_cast<double>(ridges.size())) * (hi - lo),
                                   "Largest inscribed spheres");
            }
            const long z = static_cast<long>(c / static_cast<std::size_t>(nx * ny));
            const long y = static_cast<long>((c / static_cast<std::size_t>(nx)) % static_cast<std::size_t>(ny));
            const long x = static_cast<long>(c % static_cast<std::size_t>(nx));
            const double r2 = radius2[c];
            const double r = std::sqrt(r2);
            const float dc = diameter[c];
            const long rz = static_cast<long>(r / h[2]), ry = static_cast<long>(r / h[1]), rx = static_cast<long>(r / h[0]);
            const long k0 = std::max(-rz, zLo - z), k1 = std::min(rz, zHi - 1 - z);
            for (long k = k0; k <= k1; ++k) {
                const double remZ = r2 - static_cast<double>(k * k) * h2sq;
                if (remZ <= 0.0) continue;
                for (long j = -ry; j <= ry; ++j) {
                    const double remY = remZ - static_cast<double>(j * j) * h1sq;
                    if (remY <= 0.0) continue;
                    const long ix = std::min(rx, static_cast<long>(std::sqrt(remY) / h[0]) + 1);
                    float* row = &thickness[vol.index(x, y + j, z + k)];
                    for (long i = -ix; i <= ix; ++i) {
                        const double e = static_cast<double>(k * k) * h2sq + static_cast<double>(j * j) * h1sq +
                                         static_cast<double>(i * i) * h0sq;
                        if (e < r2 && row[i] < dc) row[i] = dc;
                    }
                }
            }
        }
    };
    const long bands = options.threads > 0
                           ? std::min(static_cast<long>(options.threads), std::max(1L, nz))
                           : std::clamp(static_cast<long>(workerCount(0)), 1L,
                                        std::max(1L, std::min(8L, static_cast<long>(ridges.size() / 4096))));
    // Band 0 reports progress; whichever thread runs it, the caller waits meanwhile, so reports never overlap.
    parallelFor(static_cast<std::size_t>(bands), static_cast<unsigned>(bands), [&](std::size_t b) {
        const long band = static_cast<long>(b);
        paintBand(nz * band / bands, nz * (band + 1) / bands, band == 0);
    });
    throwIfStopped(stop);
    reportProgress(progress, hi, "Local thickness done");
    return thickness;
}

void scatterBox(const BinaryVolume& vol, const std::vector<float>& values, Image& out)
{
    auto px = out.pixels<float>();
    const auto& sz = out.size();
    for (long z = 0; z < vol.size[2]; ++z) {
        const long iz = vol.offset[2] + z;
        if (iz < 0 || iz >= static_cast<long>(sz[2])) continue;
        for (long y = 0; y < vol.size[1]; ++y) {
            const long iy = vol.offset[1] + y;
            if (iy < 0 || iy >= static_cast<long>(sz[1])) continue;
            for (long x = 0; x < vol.size[0]; ++x) {
                const long ix = vol.offset[0] + x;
                if (ix < 0 || ix >= static_cast<long>(sz[0])) continue;
                const std::size_t i = vol.index(x, y, z);
                if (!vol.inside[i]) continue;
                px[out.linearIndex(static_cast<std::size_t>(ix), static_cast<std::size_t>(iy), static_cast<std::size_t>(iz))] =
                    values[i];
            }
        }
    }
}

} // namespace strata::quant::detail

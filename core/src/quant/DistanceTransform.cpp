#include "quant/DistanceTransform.h"

#include "strata/Progress.h"

#include <limits>

namespace strata::quant::detail {
namespace {

/// One 1D pass of the lower envelope of parabolas: out[q] = min_p f[p] + ((q - p) h)^2, arg[q] = argmin.
class Envelope1D {
public:
    explicit Envelope1D(long n) : v_(static_cast<std::size_t>(n)), z_(static_cast<std::size_t>(n) + 1) {}

    void run(const double* f, long n, double h, double* out, long* arg)
    {
        constexpr double inf = std::numeric_limits<double>::infinity();
        long k = -1;
        for (long q = 0; q < n; ++q) {
            if (f[q] == inf) continue;
            const double xq = static_cast<double>(q) * h;
            double s = -inf;
            while (k >= 0) {
                const long p = v_[static_cast<std::size_t>(k)];
                const double xp = static_cast<double>(p) * h;
                s = ((f[q] + xq * xq) - (f[p] + xp * xp)) / (2.0 * (xq - xp));
                if (s <= z_[static_cast<std::size_t>(k)]) {
                    --k;
                    s = -inf;
                } else {
                    break;
                }
            }
            ++k;
            v_[static_cast<std::size_t>(k)] = q;
            z_[static_cast<std::size_t>(k)] = k == 0 ? -inf : s;
            z_[static_cast<std::size_t>(k) + 1] = inf;
        }
        if (k < 0) {
            for (long q = 0; q < n; ++q) {
                out[q] = inf;
                arg[q] = -1;
            }
            return;
        }
        long j = 0;
        for (long q = 0; q < n; ++q) {
            const double xq = static_cast<double>(q) * h;
            while (z_[static_cast<std::size_t>(j) + 1] < xq) ++j;
            const long p = v_[static_cast<std::size_t>(j)];
            const double dx = static_cast<double>(q - p) * h;
            out[q] = f[p] + dx * dx;
            arg[q] = p;
        }
    }

private:
    std::vector<long> v_;
    std::vector<double> z_;
};

} // namespace

DistanceField distanceToBackground(const BinaryVolume& vol, std::stop_token stop)
{
    const long nx = vol.size[0], ny = vol.size[1], nz = vol.size[2];
    DistanceField out;
    const std::size_t n = vol.voxelCount();
    out.dist2.assign(n, 0.0);
    out.nearest.assign(n, 0);
    if (n == 0) return out;
    constexpr double inf = std::numeric_limits<double>::infinity();
    const double hx = vol.spacing[0], hy = vol.spacing[1], hz = vol.spacing[2];

    // Pass 1 (x): two scans per row give the nearest background voxel in the row.
    for (long z = 0; z < nz; ++z) {
        throwIfStopped(stop);
        for (long y = 0; y < ny; ++y) {
            const std::size_t row = vol.index(0, y, z);
            long last = -1;
            for (long x = 0; x < nx; ++x) {
                if (!vol.inside[row + static_cast<std::size_t>(x)]) last = x;
                const double d = last < 0 ? inf : static_cast<double>(x - last) * hx;
                out.dist2[row + static_cast<std::size_t>(x)] = last < 0 ? inf : d * d;
                out.nearest[row + static_cast<std::size_t>(x)] = static_cast<std::uint32_t>(row + static_cast<std::size_t>(last < 0 ? 0 : last));
            }
            last = -1;
            for (long x = nx - 1; x >= 0; --x) {
                if (!vol.inside[row + static_cast<std::size_t>(x)]) last = x;
                if (last < 0) continue;
                const double d = static_cast<double>(last - x) * hx;
                if (d * d < out.dist2[row + static_cast<std::size_t>(x)]) {
                    out.dist2[row + static_cast<std::size_t>(x)] = d * d;
                    out.nearest[row + static_cast<std::size_t>(x)] = static_cast<std::uint32_t>(row + static_cast<std::size_t>(last));
                }
            }
        }
    }

    // Passes 2 (y) and 3 (z): lower envelope of parabolas along each line.
    const long maxLen = std::max(ny, nz);
    Envelope1D env(maxLen);
    std::vector<double> f(static_cast<std::size_t>(maxLen)), d(static_cast<std::size_t>(maxLen));
    std::vector<long> arg(static_cast<std::size_t>(maxLen));
    std::vector<std::uint32_t> feat(static_cast<std::size_t>(maxLen));
    const auto passAlong = [&](long len, double h, std::size_t stride, std::size_t start) {
        for (long t = 0; t < len; ++t) {
            const std::size_t i = start + static_cast<std::size_t>(t) * stride;
            f[static_cast<std::size_t>(t)] = out.dist2[i];
            feat[static_cast<std::size_t>(t)] = out.nearest[i];
        }
        env.run(f.data(), len, h, d.data(), arg.data());
        for (long t = 0; t < len; ++t) {
            const std::size_t i = start + static_cast<std::size_t>(t) * stride;
            out.dist2[i] = d[static_cast<std::size_t>(t)];
            const long a = arg[static_cast<std::size_t>(t)];
            if (a >= 0) out.nearest[i] = feat[static_cast<std::size_t>(a)];
        }
    };
    const std::size_t sx = static_cast<std::size_t>(nx), sxy = static_cast<std::size_t>(nx * ny);
    for (long z = 0; z < nz; ++z) {
        throwIfStopped(stop);
        for (long x = 0; x < nx; ++x) passAlong(ny, hy, sx, vol.index(x, 0, z));
    }
    for (long y = 0; y < ny; ++y) {
        throwIfStopped(stop);
        for (long x = 0; x < nx; ++x) passAlong(nz, hz, sxy, vol.index(x, y, 0));
    }
    return out;
}

} // namespace strata::quant::detail

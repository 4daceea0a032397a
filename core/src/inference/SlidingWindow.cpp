#include "inference/SlidingWindow.h"

#include <algorithm>
#include <cmath>

namespace strata::inference {

std::vector<std::int64_t> tileStarts(std::int64_t length, std::int64_t tile, double overlap)
{
    const auto step = std::max<std::int64_t>(1, static_cast<std::int64_t>(std::floor(static_cast<double>(tile) * (1.0 - overlap))));
    std::vector<std::int64_t> starts;
    for (std::int64_t s = 0;; s += step) {
        if (s + tile >= length) {
            starts.push_back(length - tile);
            break;
        }
        starts.push_back(s);
    }
    return starts;
}

namespace {

std::int64_t roundUp8(std::int64_t v)
{
    return (v + 7) / 8 * 8;
}

/// n tiles over length L with at least `overlap` shared voxels: the smallest multiple-of-8 tile that fits.
std::int64_t tileFor(std::int64_t length, std::int64_t n, std::int64_t overlap)
{
    if (n == 1) {
        return roundUp8(length);
    }
    return roundUp8((length + (n - 1) * overlap + n - 1) / n);
}

/// n evenly spread starts, the last one ending at length.
std::vector<std::int64_t> spreadStarts(std::int64_t length, std::int64_t tile, std::int64_t n)
{
    std::vector<std::int64_t> starts;
    const std::int64_t span = std::max<std::int64_t>(0, length - tile);
    for (std::int64_t i = 0; i < n; ++i) {
        starts.push_back(n == 1 ? 0 : (span * i + (n - 1) / 2) / (n - 1));
    }
    return starts;
}

} // namespace

TilePlan planTiles(const std::int64_t size[3], std::int64_t maxTileVoxels, std::int64_t minOverlap)
{
    TilePlan best;
    long double bestCost = -1;
    std::size_t bestCount = 0;
    for (std::int64_t nx = 1; nx <= 16; ++nx) {
        for (std::int64_t ny = 1; ny <= 16; ++ny) {
            for (std::int64_t nz = 1; nz <= 16; ++nz) {
                const std::int64_t n[3]{nx, ny, nz};
                std::int64_t t[3];
                bool ok = true;
                for (int a = 0; a < 3; ++a) {
                    t[a] = std::min(tileFor(size[a], n[a], minOverlap), roundUp8(size[a]));
                    // more tiles than needed to cover the axis with this tile size would only add work
                    if (n[a] > 1 && tileFor(size[a], n[a] - 1, minOverlap) == t[a]) ok = false;
                }
                const long double voxels = static_cast<long double>(t[0]) * t[1] * t[2];
                if (!ok || voxels > static_cast<long double>(maxTileVoxels)) {
                    continue;
                }
                const std::size_t count = static_cast<std::size_t>(nx * ny * nz);
                const long double cost = voxels * static_cast<long double>(count);
                if (bestCost < 0 || cost < bestCost || (cost == bestCost && count < bestCount)) {
                    bestCost = cost;
                    bestCount = count;
                    for (int a = 0; a < 3; ++a) {
                        best.tile[a] = t[a];
                        best.starts[a] = spreadStarts(std::max(size[a], t[a]), t[a], n[a]);
                    }
                }
            }
        }
    }
    if (bestCost < 0) { // budget below one 8^3 tile per axis split: fall back to 8-voxel cubes
        for (int a = 0; a < 3; ++a) {
            best.tile[a] = std::min<std::int64_t>(roundUp8(size[a]), 64);
            best.starts[a] = tileStarts(std::max(size[a], best.tile[a]), best.tile[a], 0.25);
        }
    }
    return best;
}

std::vector<float> gaussianTileWeights(std::int64_t tz, std::int64_t ty, std::int64_t tx)
{
    auto axis = [](std::int64_t n) {
        std::vector<double> w(static_cast<std::size_t>(n));
        const double sigma = static_cast<double>(n) / 8.0;
        const double centre = (static_cast<double>(n) - 1.0) / 2.0;
        for (std::int64_t i = 0; i < n; ++i) {
            const double d = (static_cast<double>(i) - centre) / sigma;
            w[static_cast<std::size_t>(i)] = std::exp(-0.5 * d * d);
        }
        return w;
    };
    const auto wz = axis(tz), wy = axis(ty), wx = axis(tx);
    std::vector<float> out(static_cast<std::size_t>(tz * ty * tx));
    std::size_t n = 0;
    for (double z : wz) {
        for (double y : wy) {
            for (double x : wx) {
                out[n++] = static_cast<float>(std::max(z * y * x, 1e-3));
            }
        }
    }
    return out;
}

} // namespace strata::inference

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

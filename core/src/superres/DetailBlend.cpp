#include "strata/core/superres/DetailBlend.h"

#include "strata/core/Error.h"

#include <algorithm>
#include <cmath>

namespace strata::superres {

RgbPlanes blendDetail(const RgbPlanes& network, const RgbPlanes& bicubic, double fullContrast)
{
    if (network.width != bicubic.width || network.height != bicubic.height)
        throw InvalidArgument("blendDetail: the network and bicubic images differ in size.");
    if (fullContrast <= 0.0) return network;
    const int w = network.width, h = network.height;
    const std::size_t plane = network.planeSize();
    std::vector<double> luma(plane);
    for (std::size_t i = 0; i < plane; ++i)
        luma[i] = 0.299 * bicubic.data[i] + 0.587 * bicubic.data[plane + i] + 0.114 * bicubic.data[2 * plane + i];
    RgbPlanes out = bicubic;
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            double sum = 0, squares = 0;
            int n = 0;
            for (int v = std::max(0, y - 1); v <= std::min(h - 1, y + 1); ++v)
                for (int u = std::max(0, x - 1); u <= std::min(w - 1, x + 1); ++u) {
                    const double l = luma[static_cast<std::size_t>(v) * w + u];
                    sum += l;
                    squares += l * l;
                    ++n;
                }
            const double mean = sum / n;
            const double contrast = std::sqrt(std::max(0.0, squares / n - mean * mean));
            const auto weight = static_cast<float>(std::min(1.0, contrast / fullContrast));
            const std::size_t i = static_cast<std::size_t>(y) * w + x;
            for (int c = 0; c < 3; ++c) {
                const std::size_t k = static_cast<std::size_t>(c) * plane + i;
                out.data[k] = bicubic.data[k] + weight * (network.data[k] - bicubic.data[k]);
            }
        }
    return out;
}

} // namespace strata::superres

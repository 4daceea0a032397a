#include "strata/ui/RegionCursor.h"

#include <limits>
#include <vector>

namespace strata::ui {

std::optional<std::array<int, 3>> regionCursor(const Dataset& ds, int id, const quant::SubregionFrame& frame,
                                               const std::string& region)
{
    if (!ds.labels || id <= 0) {
        return std::nullopt;
    }
    const Image& labels = ds.labels->image();
    const auto& size = labels.size();
    const auto ids = ds.labels->ids();
    std::vector<std::array<int, 3>> voxels;
    double sum[3] = {0, 0, 0};
    std::size_t i = 0;
    for (std::size_t z = 0; z < size[2]; ++z) {
        for (std::size_t y = 0; y < size[1]; ++y) {
            for (std::size_t x = 0; x < size[0]; ++x, ++i) {
                if (ids[i] != id) {
                    continue;
                }
                const Vec3 p = labels.indexToWorld({static_cast<double>(x), static_cast<double>(y), static_cast<double>(z)});
                const std::string at = frame.regionAt(p, id);
                if (at != region && quant::parentRegion(at) != region) {
                    continue;
                }
                voxels.push_back({static_cast<int>(x), static_cast<int>(y), static_cast<int>(z)});
                sum[0] += static_cast<double>(x);
                sum[1] += static_cast<double>(y);
                sum[2] += static_cast<double>(z);
            }
        }
    }
    if (voxels.empty()) {
        return std::nullopt;
    }
    const double n = static_cast<double>(voxels.size());
    const Vec3 c = labels.indexToWorld({sum[0] / n, sum[1] / n, sum[2] / n});
    double best = std::numeric_limits<double>::max();
    std::array<int, 3> nearest = voxels.front();
    for (const auto& v : voxels) {
        const Vec3 p = labels.indexToWorld({static_cast<double>(v[0]), static_cast<double>(v[1]), static_cast<double>(v[2])});
        const double d = (p[0] - c[0]) * (p[0] - c[0]) + (p[1] - c[1]) * (p[1] - c[1]) + (p[2] - c[2]) * (p[2] - c[2]);
        if (d < best) {
            best = d;
            nearest = v;
        }
    }
    return nearest;
}

} // namespace strata::ui

#include "strata/quant/LabelProximity.h"

#include "quant/BinaryVolume.h"
#include "quant/DistanceTransform.h"
#include "strata/Progress.h"

namespace strata::quant {

double shareNearLabel(const Image& labels, int label, int target, double withinMm, std::stop_token stop)
{
    const auto ids = labels.pixels<std::uint8_t>(); // throws on another pixel type
    // Every voxel of `label` lies in the box: it is `label`'s bounding box grown by withinMm.
    const auto box = detail::complementAround(labels, target, label, withinMm);
    if (box.voxelCount() == 0) return 1.0; // no voxel of `label`
    const auto field = detail::distanceToBackground(box, stop);
    const double limit2 = withinMm * withinMm;
    std::size_t count = 0, near = 0;
    for (long z = 0; z < box.size[2]; ++z) {
        throwIfStopped(stop);
        for (long y = 0; y < box.size[1]; ++y)
            for (long x = 0; x < box.size[0]; ++x) {
                const std::size_t n = labels.linearIndex(std::size_t(x + box.offset[0]), std::size_t(y + box.offset[1]),
                                                         std::size_t(z + box.offset[2]));
                if (ids[n] != label) continue;
                ++count;
                const std::size_t b = box.index(x, y, z);
                if (box.inside[b] == 0 || field.dist2[b] <= limit2) ++near;
            }
    }
    return count ? double(near) / double(count) : 1.0;
}

} // namespace strata::quant

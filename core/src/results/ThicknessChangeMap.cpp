#include "strata/core/results/ThicknessChangeMap.h"

#include "quant/BinaryVolume.h"
#include "quant/DistanceTransform.h"
#include "strata/core/Error.h"
#include "strata/core/Progress.h"

#include <algorithm>
#include <cmath>

namespace strata::results {

namespace {

Image asLabels(const Image& image)
{
    return image.pixelType() == PixelType::UInt8 ? image : image.convertedTo(PixelType::UInt8);
}

Image asFloat(const Image& image)
{
    return image.pixelType() == PixelType::Float32 ? image : image.convertedTo(PixelType::Float32);
}

/// The follow-up voxels that are not `plate`, on the plate's bounding box grown by `radiusMm`: their distance
/// transform's feature map gives every voxel of the box its nearest voxel of the plate.
quant::detail::BinaryVolume notPlate(const Image& labels, int plate, double radiusMm)
{
    const auto ids = labels.pixels<std::uint8_t>();
    const auto& s = labels.size();
    std::array<long, 3> lo{long(s[0]), long(s[1]), long(s[2])}, hi{-1, -1, -1};
    for (std::size_t k = 0; k < s[2]; ++k)
        for (std::size_t j = 0; j < s[1]; ++j)
            for (std::size_t i = 0; i < s[0]; ++i) {
                if (ids[labels.linearIndex(i, j, k)] != plate) continue;
                lo = {std::min(lo[0], long(i)), std::min(lo[1], long(j)), std::min(lo[2], long(k))};
                hi = {std::max(hi[0], long(i)), std::max(hi[1], long(j)), std::max(hi[2], long(k))};
            }
    quant::detail::BinaryVolume v;
    v.spacing = labels.spacing();
    if (hi[0] < 0) return v; // no such plate at follow-up
    for (int a = 0; a < 3; ++a) {
        const long grow = long(std::ceil(radiusMm / labels.spacing()[std::size_t(a)])) + 1;
        v.offset[std::size_t(a)] = std::max(0L, lo[std::size_t(a)] - grow);
        v.size[std::size_t(a)] = std::min(long(s[std::size_t(a)]) - 1, hi[std::size_t(a)] + grow) - v.offset[std::size_t(a)] + 1;
    }
    v.inside.assign(std::size_t(v.size[0] * v.size[1] * v.size[2]), 1);
    for (long z = 0; z < v.size[2]; ++z)
        for (long y = 0; y < v.size[1]; ++y)
            for (long x = 0; x < v.size[0]; ++x) {
                const bool isPlate = ids[labels.linearIndex(std::size_t(x + v.offset[0]), std::size_t(y + v.offset[1]),
                                                            std::size_t(z + v.offset[2]))] == plate;
                v.inside[v.index(x, y, z)] = isPlate ? 0 : 1;
                v.foregroundCount += isPlate ? 0 : 1;
            }
    return v;
}

} // namespace

ThicknessChangeMap::Result ThicknessChangeMap::compute(const Image& baselineLabelsIn, const Image& baselineThicknessIn,
                                                       const Image& followupLabelsIn, const Image& followupThicknessIn,
                                                       const std::vector<PlateMapping>& plates, double searchRadiusMm,
                                                       std::stop_token stop)
{
    if (!baselineLabelsIn.sameGeometry(baselineThicknessIn) || !followupLabelsIn.sameGeometry(followupThicknessIn)) {
        throw InvalidArgument("A thickness map is not on its segmentation's grid: the result bundle is inconsistent.");
    }
    const Image baseLabels = asLabels(baselineLabelsIn), followLabels = asLabels(followupLabelsIn);
    const Image baseThickness = asFloat(baselineThicknessIn), followThickness = asFloat(followupThicknessIn);
    const auto bl = baseLabels.pixels<std::uint8_t>();
    const auto bt = baseThickness.pixels<float>();
    const auto ft = followThickness.pixels<float>();
    const auto& bs = baseLabels.size();
    const double radius2 = searchRadiusMm * searchRadiusMm;

    Result out;
    out.map = Image(bs, PixelType::Float32);
    out.map.copyGeometryFrom(baseLabels);
    auto change = out.map.pixels<float>();
    std::fill(change.begin(), change.end(), 0.0f);

    for (const auto& mapping : plates) {
        throwIfStopped(stop);
        const auto box = notPlate(followLabels, mapping.plate, searchRadiusMm);
        const auto field = quant::detail::distanceToBackground(box, stop);
        PlateMapSummary summary;
        summary.name = mapping.name;
        double sum = 0;
        std::size_t lost = 0;
        for (std::size_t k = 0; k < bs[2]; ++k) {
            throwIfStopped(stop);
            for (std::size_t j = 0; j < bs[1]; ++j)
                for (std::size_t i = 0; i < bs[0]; ++i) {
                    const std::size_t n = baseLabels.linearIndex(i, j, k);
                    if (bl[n] != mapping.plate) continue;
                    const Vec3 q = followLabels.worldToIndex(
                        mapping.baselineToFollowup.apply(baseLabels.indexToWorld({double(i), double(j), double(k)})));
                    double followupMm = 0.0; // no follow-up cartilage of this plate near: gone
                    const long x = std::lround(q[0]) - box.offset[0], y = std::lround(q[1]) - box.offset[1],
                               z = std::lround(q[2]) - box.offset[2];
                    if (box.voxelCount() > 0 && x >= 0 && y >= 0 && z >= 0 && x < box.size[0] && y < box.size[1] && z < box.size[2]) {
                        const std::size_t b = box.index(x, y, z);
                        if (field.dist2[b] <= radius2) {
                            const std::uint32_t nb = field.nearest[b];
                            const long bx = long(nb % std::uint32_t(box.size[0]));
                            const long by = long((nb / std::uint32_t(box.size[0])) % std::uint32_t(box.size[1]));
                            const long bz = long(nb / std::uint32_t(box.size[0] * box.size[1]));
                            followupMm = ft[followLabels.linearIndex(std::size_t(bx + box.offset[0]), std::size_t(by + box.offset[1]),
                                                                     std::size_t(bz + box.offset[2]))];
                        } else {
                            ++lost;
                        }
                    } else {
                        ++lost;
                    }
                    const double d = followupMm - double(bt[n]);
                    change[n] = float(d);
                    sum += d;
                    ++summary.voxels;
                }
        }
        summary.meanChangeMm = summary.voxels ? sum / double(summary.voxels) : 0.0;
        summary.lostFraction = summary.voxels ? double(lost) / double(summary.voxels) : 0.0;
        out.plates.push_back(summary);
    }
    return out;
}

} // namespace strata::results

#include "strata/results/ThicknessChangeMap.h"

#include "quant/BinaryVolume.h"
#include "quant/DistanceTransform.h"
#include "strata/Error.h"
#include "strata/Progress.h"

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
        const auto box = quant::detail::complementAround(followLabels, mapping.plate, mapping.plate, searchRadiusMm);
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

double ThicknessChangeMap::displayScaleMm(std::vector<float> magnitudes)
{
    double largest = 0;
    if (!magnitudes.empty()) {
        const auto nth = magnitudes.begin() + std::ptrdiff_t(0.98 * double(magnitudes.size() - 1));
        std::nth_element(magnitudes.begin(), nth, magnitudes.end());
        largest = *nth;
    }
    return std::clamp(std::ceil(largest * 2) / 2, 0.5, 3.0);
}

} // namespace strata::results

#include "strata/quant/LabelAgreement.h"

#include "quant/BinaryVolume.h"
#include "quant/DistanceTransform.h"

#include "strata/Error.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace strata::quant {
namespace {

using Box = std::array<long, 6>; // lo x, y, z, hi x, y, z (inclusive)

constexpr Box emptyBox()
{
    constexpr long big = std::numeric_limits<long>::max();
    return {big, big, big, -1, -1, -1};
}

/// True when voxel (x, y, z) has `label` and a face neighbour that has not (or lies outside the image).
bool onBoundary(std::span<const std::uint8_t> ids, const Size3& size, long x, long y, long z, std::uint8_t label)
{
    const long nx = static_cast<long>(size[0]), ny = static_cast<long>(size[1]), nz = static_cast<long>(size[2]);
    const auto at = [&](long i, long j, long k) { return ids[static_cast<std::size_t>(i + nx * (j + ny * k))]; };
    if (at(x, y, z) != label) return false;
    if (x == 0 || y == 0 || z == 0 || x == nx - 1 || y == ny - 1 || z == nz - 1) return true;
    return at(x - 1, y, z) != label || at(x + 1, y, z) != label || at(x, y - 1, z) != label || at(x, y + 1, z) != label ||
           at(x, y, z - 1) != label || at(x, y, z + 1) != label;
}

/// Distances (mm) from each boundary voxel of `label` in `from` to the nearest boundary voxel of `label` in `to`, both
/// boundaries inside `box`: a distance transform over the box in which only `to`'s boundary voxels are background.
std::vector<double> boundaryDistances(const LabelMap& from, const LabelMap& to, std::uint8_t label, const Box& box,
                                      std::stop_token stop)
{
    const auto& size = from.image().size();
    const auto a = from.ids(), b = to.ids();
    detail::BinaryVolume vol;
    vol.offset = {box[0], box[1], box[2]};
    vol.size = {box[3] - box[0] + 1, box[4] - box[1] + 1, box[5] - box[2] + 1};
    vol.spacing = from.image().spacing();
    vol.inside.assign(static_cast<std::size_t>(vol.size[0] * vol.size[1] * vol.size[2]), 1);
    for (long z = 0; z < vol.size[2]; ++z) {
        throwIfStopped(stop);
        for (long y = 0; y < vol.size[1]; ++y)
            for (long x = 0; x < vol.size[0]; ++x)
                if (onBoundary(b, size, x + box[0], y + box[1], z + box[2], label)) vol.inside[vol.index(x, y, z)] = 0;
    }
    const auto field = detail::distanceToBackground(vol, stop);
    std::vector<double> out;
    for (long z = 0; z < vol.size[2]; ++z) {
        throwIfStopped(stop);
        for (long y = 0; y < vol.size[1]; ++y)
            for (long x = 0; x < vol.size[0]; ++x)
                if (onBoundary(a, size, x + box[0], y + box[1], z + box[2], label))
                    out.push_back(std::sqrt(field.dist2[vol.index(x, y, z)]));
    }
    return out;
}

/// The 95th percentile by linear interpolation between closest ranks (numpy's default).
double percentile95(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    const double rank = 0.95 * static_cast<double>(v.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(rank));
    const std::size_t hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (v[hi] - v[lo]) * (rank - static_cast<double>(lo));
}

} // namespace

std::optional<double> LabelAgreement::differencePercent() const
{
    if (voxelsA == 0) return std::nullopt;
    return 100.0 * (mm3B - mm3A) / mm3A;
}

std::vector<LabelAgreement> compareLabelMaps(const LabelMap& a, const LabelMap& b, const LabelAgreementOptions& options,
                                             std::stop_token stop, const ProgressFn& progress)
{
    if (a.image().size() != b.image().size() || !a.image().sameGeometry(b.image(), 1e-3)) {
        throw InvalidArgument("The two label maps are not on the same grid (size, voxel size, origin and orientation "
                              "must match) and cannot be compared voxel by voxel.");
    }
    const auto x = a.ids(), y = b.ids(); // throw on another pixel type
    const auto& size = a.image().size();
    std::array<std::size_t, 256> na{}, nb{}, both{};
    std::array<Box, 256> boxes;
    boxes.fill(emptyBox());
    std::size_t n = 0;
    for (std::size_t k = 0; k < size[2]; ++k) {
        throwIfStopped(stop);
        for (std::size_t j = 0; j < size[1]; ++j)
            for (std::size_t i = 0; i < size[0]; ++i, ++n) {
                const std::uint8_t p = x[n], q = y[n];
                ++na[p];
                ++nb[q];
                if (p == q) ++both[p];
                for (const std::uint8_t l : {p, q}) {
                    Box& box = boxes[l];
                    const std::array<long, 3> at{static_cast<long>(i), static_cast<long>(j), static_cast<long>(k)};
                    for (int c = 0; c < 3; ++c) {
                        box[c] = std::min(box[c], at[c]);
                        box[c + 3] = std::max(box[c + 3], at[c]);
                    }
                }
            }
    }
    const double voxelMm3 = a.image().voxelVolume();
    std::vector<LabelAgreement> out;
    for (int id = 1; id < 256; ++id) {
        const auto l = static_cast<std::size_t>(id);
        if (na[l] == 0 && nb[l] == 0) continue;
        LabelAgreement r;
        r.id = id;
        auto info = a.table().find(id);
        if (!info) info = b.table().find(id);
        r.name = info ? info->name : "label " + std::to_string(id);
        r.voxelsA = na[l];
        r.voxelsB = nb[l];
        r.voxelsBoth = both[l];
        r.mm3A = static_cast<double>(na[l]) * voxelMm3;
        r.mm3B = static_cast<double>(nb[l]) * voxelMm3;
        r.dice = 2.0 * static_cast<double>(both[l]) / static_cast<double>(na[l] + nb[l]);
        out.push_back(std::move(r));
    }
    if (options.surfaceDistances) {
        for (std::size_t i = 0; i < out.size(); ++i) {
            reportProgress(progress, static_cast<double>(i) / static_cast<double>(out.size()),
                           "Surface distances of " + out[i].name);
            LabelAgreement& r = out[i];
            if (r.voxelsA == 0 || r.voxelsB == 0) continue;
            const auto label = static_cast<std::uint8_t>(r.id);
            const Box& box = boxes[static_cast<std::size_t>(r.id)];
            const auto ab = boundaryDistances(a, b, label, box, stop);
            const auto ba = boundaryDistances(b, a, label, box, stop);
            double sum = 0;
            for (double d : ab) sum += d;
            for (double d : ba) sum += d;
            r.meanSurfaceMm = sum / static_cast<double>(ab.size() + ba.size());
            r.hausdorff95Mm = std::max(percentile95(ab), percentile95(ba));
        }
    }
    reportProgress(progress, 1.0, "Compared");
    return out;
}

} // namespace strata::quant

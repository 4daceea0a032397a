#include "quant/SubchondralSurface.h"

#include "quant/BinaryVolume.h"
#include "quant/DistanceTransform.h"
#include "strata/Progress.h"
#include "strata/Vec3Math.h"
#include "strata/quant/MarchingCubes.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace strata::quant::detail {
namespace {

/// Index box [lo, hi] of the voxels equal to `label`; lo > hi when there are none.
struct Box {
    std::array<long, 3> lo{0, 0, 0}, hi{-1, -1, -1};
    bool empty() const { return lo[0] > hi[0]; }
    long extent(int a) const { return hi[static_cast<std::size_t>(a)] - lo[static_cast<std::size_t>(a)] + 1; }
};

Box boxOf(const Image& labels, int label)
{
    const auto px = labels.pixels<std::uint8_t>();
    const auto& sz = labels.size();
    Box b;
    b.lo = {std::numeric_limits<long>::max(), std::numeric_limits<long>::max(), std::numeric_limits<long>::max()};
    b.hi = {-1, -1, -1};
    std::size_t n = 0;
    for (std::size_t k = 0; k < sz[2]; ++k)
        for (std::size_t j = 0; j < sz[1]; ++j)
            for (std::size_t i = 0; i < sz[0]; ++i, ++n) {
                if (px[n] != label) continue;
                const std::array<long, 3> p{static_cast<long>(i), static_cast<long>(j), static_cast<long>(k)};
                for (std::size_t a = 0; a < 3; ++a) {
                    b.lo[a] = std::min(b.lo[a], p[a]);
                    b.hi[a] = std::max(b.hi[a], p[a]);
                }
            }
    if (b.hi[0] < 0) return Box{};
    return b;
}

/// The plate closed with a ball of radius r (mm) inside `box` (which must leave more than r around the plate), with
/// the bone under it closed too so that a ball cannot reach into a hole through the bone, then the bone taken away.
std::vector<std::uint8_t> closedPlate(const Image& labels, int plate, int bone, const Box& box, double r, std::stop_token stop)
{
    BinaryVolume vol;
    vol.offset = box.lo;
    vol.size = {box.extent(0), box.extent(1), box.extent(2)};
    vol.spacing = labels.spacing();
    vol.inside.assign(static_cast<std::size_t>(vol.size[0] * vol.size[1] * vol.size[2]), 0);
    const auto px = labels.pixels<std::uint8_t>();
    std::vector<std::uint8_t> isPlate(vol.inside.size(), 0), isBone(vol.inside.size(), 0);
    for (long z = 0; z < vol.size[2]; ++z)
        for (long y = 0; y < vol.size[1]; ++y)
            for (long x = 0; x < vol.size[0]; ++x) {
                const std::size_t i = vol.index(x, y, z);
                const std::uint8_t v = px[labels.linearIndex(static_cast<std::size_t>(x + box.lo[0]), static_cast<std::size_t>(y + box.lo[1]),
                                                             static_cast<std::size_t>(z + box.lo[2]))];
                isPlate[i] = v == plate;
                isBone[i] = v == bone;
                vol.inside[i] = !isPlate[i] && !isBone[i];
            }
    const double r2 = r * r * (1.0 + 1e-9);
    // Dilation: within r of a plate voxel. Erosion of that: farther than r from every voxel outside it.
    const auto toPlate = distanceToBackground(vol, stop);
    for (std::size_t i = 0; i < vol.inside.size(); ++i) vol.inside[i] = toPlate.dist2[i] <= r2;
    const auto toOutside = distanceToBackground(vol, stop);
    std::vector<std::uint8_t> closed(vol.inside.size(), 0);
    for (std::size_t i = 0; i < closed.size(); ++i) closed[i] = isPlate[i] || (!isBone[i] && vol.inside[i] && toOutside.dist2[i] > r2);
    return closed;
}

Image boneMask(const Image& labels, int bone, const Box& box)
{
    Image mask({static_cast<std::size_t>(box.extent(0)), static_cast<std::size_t>(box.extent(1)),
                static_cast<std::size_t>(box.extent(2))},
               PixelType::UInt8);
    mask.setSpacing(labels.spacing());
    mask.setDirection(labels.direction());
    mask.setOrigin(labels.indexToWorld({static_cast<double>(box.lo[0]), static_cast<double>(box.lo[1]), static_cast<double>(box.lo[2])}));
    const auto px = labels.pixels<std::uint8_t>();
    auto out = mask.pixels<std::uint8_t>();
    std::size_t n = 0;
    for (long z = box.lo[2]; z <= box.hi[2]; ++z)
        for (long y = box.lo[1]; y <= box.hi[1]; ++y)
            for (long x = box.lo[0]; x <= box.hi[0]; ++x, ++n)
                out[n] = px[labels.linearIndex(static_cast<std::size_t>(x), static_cast<std::size_t>(y), static_cast<std::size_t>(z))] == bone;
    return mask;
}

/// Whether the plate lies around `at` on the bone surface with normal `n`: in at least 7 of 8 directions of the
/// tangent plane, plate voxels within `reach` mm (looking up to 3 mm above and below the plane, for curved bones).
/// Tells a hole in the plate (closed all round) from the strip along its edge that the closing also fills.
bool enclosedByPlate(const Image& labels, int plate, const Vec3& at, const Vec3& n, double reach)
{
    const auto px = labels.pixels<std::uint8_t>();
    const auto& sz = labels.size();
    const auto& h = labels.spacing();
    const double step = std::min({h[0], h[1], h[2]});
    const Vec3 axis = std::abs(n[0]) < 0.6 ? Vec3{1, 0, 0} : Vec3{0, 1, 0};
    Vec3 t1 = cross(n, axis);
    const double l1 = std::sqrt(dot(t1, t1));
    t1 = {t1[0] / l1, t1[1] / l1, t1[2] / l1};
    const Vec3 t2 = cross(n, t1);
    const auto isPlate = [&](const Vec3& q) {
        const Vec3 idx = labels.worldToIndex(q);
        std::array<long, 3> v{};
        for (std::size_t d = 0; d < 3; ++d) {
            v[d] = std::lround(idx[d]);
            if (v[d] < 0 || v[d] >= static_cast<long>(sz[d])) return false;
        }
        return px[labels.linearIndex(static_cast<std::size_t>(v[0]), static_cast<std::size_t>(v[1]), static_cast<std::size_t>(v[2]))] == plate;
    };
    int hits = 0;
    for (int k = 0; k < 8; ++k) {
        const double a = k * std::numbers::pi / 4.0;
        const Vec3 dir{std::cos(a) * t1[0] + std::sin(a) * t2[0], std::cos(a) * t1[1] + std::sin(a) * t2[1],
                       std::cos(a) * t1[2] + std::sin(a) * t2[2]};
        bool hit = false;
        for (double s = step; s <= reach && !hit; s += step)
            for (double u = -3.0; u <= 3.0 && !hit; u += step)
                hit = isPlate({at[0] + dir[0] * s + n[0] * u, at[1] + dir[1] * s + n[1] * u, at[2] + dir[2] * s + n[2] * u});
        hits += hit ? 1 : 0;
        if (!hit) return false;
    }
    return hits == 8;
}

} // namespace

std::vector<SurfacePatch> subchondralBoneArea(const Image& labels, const Image& thickness, int plate, int bone,
                                              double closingRadiusMm, std::stop_token stop)
{
    std::vector<SurfacePatch> patches;
    Box box = boxOf(labels, plate);
    if (box.empty()) return patches;
    const auto& sz = labels.size();
    const auto& h = labels.spacing();
    for (std::size_t a = 0; a < 3; ++a) {
        const long margin = static_cast<long>(std::ceil(closingRadiusMm / h[a])) + 3;
        box.lo[a] = std::max(0L, box.lo[a] - margin);
        box.hi[a] = std::min(static_cast<long>(sz[a]) - 1, box.hi[a] + margin);
    }
    const auto closed = closedPlate(labels, plate, bone, box, closingRadiusMm, stop);
    throwIfStopped(stop);
    const double maxSpacing = std::max({h[0], h[1], h[2]});
    const Mesh mesh = marchingCubes(boneMask(labels, bone, box), SurfaceOptions{.presmoothSigmaMm = 0.5 * maxSpacing}, stop);
    throwIfStopped(stop);

    const auto px = labels.pixels<std::uint8_t>();
    const auto t = thickness.pixels<float>();
    for (const auto& tri : mesh.triangles) {
        const auto& a = mesh.vertices[tri[0]];
        const auto& b = mesh.vertices[tri[1]];
        const auto& c = mesh.vertices[tri[2]];
        const Vec3 e1{b[0] - a[0], b[1] - a[1], b[2] - a[2]}, e2{c[0] - a[0], c[1] - a[1], c[2] - a[2]};
        const Vec3 n = cross(e1, e2);
        const double len = std::sqrt(dot(n, n));
        if (len <= 0.0) continue;
        SurfacePatch patch;
        patch.centre = {(a[0] + b[0] + c[0]) / 3.0, (a[1] + b[1] + c[1]) / 3.0, (a[2] + b[2] + c[2]) / 3.0};
        patch.normal = {n[0] / len, n[1] / len, n[2] / len};
        patch.area = 0.5 * len;
        bool inArea = false;
        for (int step = 1; step <= 6; ++step) {
            const double s = 0.25 * maxSpacing * step;
            const Vec3 idx = labels.worldToIndex({patch.centre[0] + patch.normal[0] * s, patch.centre[1] + patch.normal[1] * s,
                                                  patch.centre[2] + patch.normal[2] * s});
            std::array<long, 3> v{};
            bool inside = true;
            for (std::size_t d = 0; d < 3; ++d) {
                v[d] = std::lround(idx[d]);
                inside = inside && v[d] >= box.lo[d] && v[d] <= box.hi[d];
            }
            if (!inside) break;
            const std::size_t li =
                labels.linearIndex(static_cast<std::size_t>(v[0]), static_cast<std::size_t>(v[1]), static_cast<std::size_t>(v[2]));
            if (px[li] == bone) continue;
            patch.above = labels.indexToWorld({static_cast<double>(v[0]), static_cast<double>(v[1]), static_cast<double>(v[2])});
            if (px[li] == plate) {
                inArea = patch.covered = true;
                patch.thickness = std::max(0.0f, t[li]);
            } else {
                const long ex = box.extent(0), ey = box.extent(1);
                inArea = closed[static_cast<std::size_t>((v[0] - box.lo[0]) + ex * ((v[1] - box.lo[1]) + ey * (v[2] - box.lo[2])))] != 0 &&
                         enclosedByPlate(labels, plate, patch.above, patch.normal, 2.0 * closingRadiusMm);
            }
            break;
        }
        if (inArea) patches.push_back(patch);
    }
    return patches;
}

} // namespace strata::quant::detail

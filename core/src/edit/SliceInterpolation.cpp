#include "strata/edit/SliceInterpolation.h"

#include "quant/DistanceTransform.h"
#include "strata/Error.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace strata::edit {
namespace {

/// One slice across `axis` as a plane: its in-plane axes u, w and the linear index of (u, w) on slice k.
struct Plane {
    Size3 size;
    int axis, u, w;
    std::size_t nu() const { return size[static_cast<std::size_t>(u)]; }
    std::size_t nw() const { return size[static_cast<std::size_t>(w)]; }
    std::size_t index(std::size_t a, std::size_t b, std::size_t k) const
    {
        std::array<std::size_t, 3> v{};
        v[static_cast<std::size_t>(u)] = a;
        v[static_cast<std::size_t>(w)] = b;
        v[static_cast<std::size_t>(axis)] = k;
        return v[0] + size[0] * (v[1] + size[1] * v[2]);
    }
};

/// Signed distance (mm) of every in-plane voxel to the boundary of `inside`: > 0 inside, < 0 outside.
std::vector<double> signedDistance(const std::vector<std::uint8_t>& inside, const Plane& p, const Vec3& spacing)
{
    quant::detail::BinaryVolume vol;
    vol.size = {static_cast<long>(p.nu()), static_cast<long>(p.nw()), 1};
    vol.spacing = {spacing[static_cast<std::size_t>(p.u)], spacing[static_cast<std::size_t>(p.w)], 1.0};
    vol.inside = inside;
    const auto in = quant::detail::distanceToBackground(vol, {}); // inside voxels: distance to the nearest outside one
    for (auto& v : vol.inside) v = v ? 0 : 1;
    const auto out = quant::detail::distanceToBackground(vol, {}); // outside voxels: distance to the nearest inside one
    std::vector<double> sdf(inside.size());
    constexpr double far = 1e6;
    for (std::size_t i = 0; i < sdf.size(); ++i) {
        const double d = inside[i] ? in.dist2[i] : out.dist2[i];
        sdf[i] = (std::isfinite(d) ? std::sqrt(d) : far) * (inside[i] ? 1.0 : -1.0);
    }
    return sdf;
}

} // namespace

LabelDelta interpolateBetweenSlices(LabelMap& labels, int label, int axis)
{
    if (axis < 0 || axis > 2) throw InvalidArgument("Slices lie across index axis 0, 1 or 2.");
    if (label <= 0 || label > 255) throw InvalidArgument("Interpolation needs a label id from 1 to 255.");
    const Image& img = labels.image();
    const Plane p{img.size(), axis, axis == 0 ? 1 : 0, axis == 2 ? 1 : 2};
    const std::size_t depth = p.size[static_cast<std::size_t>(axis)];
    auto ids = labels.ids();
    const auto maskOf = [&](std::size_t k) {
        std::vector<std::uint8_t> m(p.nu() * p.nw());
        for (std::size_t b = 0; b < p.nw(); ++b)
            for (std::size_t a = 0; a < p.nu(); ++a) m[a + p.nu() * b] = ids[p.index(a, b, k)] == label;
        return m;
    };
    std::vector<std::size_t> present;
    for (std::size_t k = 0; k < depth; ++k) {
        const auto m = maskOf(k);
        if (std::find(m.begin(), m.end(), 1) != m.end()) present.push_back(k);
    }
    LabelDelta d;
    d.value = static_cast<std::uint8_t>(label);
    std::vector<std::pair<std::uint32_t, std::uint8_t>> changed;
    for (std::size_t n = 0; n + 1 < present.size(); ++n) {
        const std::size_t k0 = present[n], k1 = present[n + 1];
        if (k1 - k0 < 2) continue;
        const auto s0 = signedDistance(maskOf(k0), p, img.spacing());
        const auto s1 = signedDistance(maskOf(k1), p, img.spacing());
        for (std::size_t k = k0 + 1; k < k1; ++k) {
            const double t = static_cast<double>(k - k0) / static_cast<double>(k1 - k0);
            for (std::size_t b = 0; b < p.nw(); ++b)
                for (std::size_t a = 0; a < p.nu(); ++a) {
                    const std::size_t i = a + p.nu() * b;
                    if ((1.0 - t) * s0[i] + t * s1[i] <= 0.0) continue;
                    const std::size_t li = p.index(a, b, k);
                    if (ids[li] != 0) continue; // only background is painted
                    changed.emplace_back(static_cast<std::uint32_t>(li), ids[li]);
                    ids[li] = static_cast<std::uint8_t>(label);
                }
        }
    }
    std::sort(changed.begin(), changed.end());
    for (const auto& [i, b] : changed) {
        d.indices.push_back(i);
        d.before.push_back(b);
    }
    return d;
}

} // namespace strata::edit

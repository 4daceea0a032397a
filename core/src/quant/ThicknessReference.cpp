// The slow, obviously-correct reference of the local thickness (see Thickness.h): no distance transform,
// no ridge pruning, every pair tested.
#include "strata/quant/Thickness.h"

#include "quant/LocalThickness.h"
#include "strata/Error.h"

#include <cmath>
#include <limits>

namespace strata::quant {

Image localThicknessReference(const Image& mask, const LocalThicknessOptions& options)
{
    if (mask.pixelType() != PixelType::UInt8) throw InvalidArgument("localThicknessReference needs a uint8 mask.");
    const auto px = mask.pixels<std::uint8_t>();
    const long nx = static_cast<long>(mask.size()[0]), ny = static_cast<long>(mask.size()[1]),
               nz = static_cast<long>(mask.size()[2]);
    const Vec3& h = mask.spacing();
    struct P { long x, y, z; };
    std::vector<P> inside, outside;
    // Background: every zero voxel of the image and the layer of voxels just outside it.
    for (long z = -1; z <= nz; ++z)
        for (long y = -1; y <= ny; ++y)
            for (long x = -1; x <= nx; ++x) {
                const bool in = x >= 0 && y >= 0 && z >= 0 && x < nx && y < ny && z < nz &&
                                px[mask.linearIndex(static_cast<std::size_t>(x), static_cast<std::size_t>(y),
                                                    static_cast<std::size_t>(z))] != 0;
                (in ? inside : outside).push_back({x, y, z});
            }

    // Nearest background voxel of every structure voxel, by brute force.
    std::vector<double> radius2(inside.size());
    std::vector<P> nearestOf(inside.size());
    std::vector<double> dist2Exact(mask.voxelCount(), 0.0);
    for (std::size_t a = 0; a < inside.size(); ++a) {
        const P c = inside[a];
        double best = std::numeric_limits<double>::infinity();
        P nearest{0, 0, 0};
        for (const P& q : outside) {
            const double ex = static_cast<double>(c.x - q.x) * h[0], ey = static_cast<double>(c.y - q.y) * h[1],
                         ez = static_cast<double>(c.z - q.z) * h[2];
            const double d2 = ex * ex + ey * ey + ez * ez;
            if (d2 < best) {
                best = d2;
                nearest = q;
            }
        }
        radius2[a] = best;
        nearestOf[a] = nearest;
        dist2Exact[mask.linearIndex(static_cast<std::size_t>(c.x), static_cast<std::size_t>(c.y), static_cast<std::size_t>(c.z))] = best;
    }
    const auto distanceAt = [&](long x, long y, long z) {
        if (x < 0 || y < 0 || z < 0 || x >= nx || y >= ny || z >= nz) return 0.0;
        return std::sqrt(dist2Exact[mask.linearIndex(static_cast<std::size_t>(x), static_cast<std::size_t>(y), static_cast<std::size_t>(z))]);
    };
    std::vector<float> diameter(inside.size());
    for (std::size_t a = 0; a < inside.size(); ++a) {
        const P c = inside[a];
        const long dx = c.x - nearestOf[a].x, dy = c.y - nearestOf[a].y, dz = c.z - nearestOf[a].z;
        const auto s = detail::ridgeStep(h, dx, dy, dz);
        diameter[a] = static_cast<float>(
            detail::sphereDiameter(h, dx, dy, dz, distanceAt(c.x + s[0], c.y + s[1], c.z + s[2]), options));
    }

    // Thickness of x: the largest diameter of all balls containing x.
    Image out(mask.size(), PixelType::Float32);
    out.copyGeometryFrom(mask);
    auto t = out.pixels<float>();
    const double h0sq = h[0] * h[0], h1sq = h[1] * h[1], h2sq = h[2] * h[2];
    for (const P& x : inside) {
        float best = 0.0f;
        for (std::size_t a = 0; a < inside.size(); ++a) {
            const long i = x.x - inside[a].x, j = x.y - inside[a].y, k = x.z - inside[a].z;
            const double e = static_cast<double>(k * k) * h2sq + static_cast<double>(j * j) * h1sq +
                             static_cast<double>(i * i) * h0sq;
            if (e < radius2[a] && diameter[a] > best) best = diameter[a];
        }
        t[mask.linearIndex(static_cast<std::size_t>(x.x), static_cast<std::size_t>(x.y), static_cast<std::size_t>(x.z))] = best;
    }
    return out;
}

} // namespace strata::quant

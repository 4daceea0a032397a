#include "strata/measure/SliceMeasurements.h"

#include "strata/Error.h"

#include <algorithm>
#include <cmath>

namespace strata::measure {
namespace {

Vec3 minus(const Vec3& a, const Vec3& b)
{
    return {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
}

double norm(const Vec3& v)
{
    return std::sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
}

} // namespace

double distanceMm(const Image& image, const Vec3& a, const Vec3& b)
{
    return norm(minus(image.indexToWorld(a), image.indexToWorld(b)));
}

double angleDegrees(const Image& image, const Vec3& a, const Vec3& vertex, const Vec3& b)
{
    const Vec3 v = image.indexToWorld(vertex);
    const Vec3 u = minus(image.indexToWorld(a), v);
    const Vec3 w = minus(image.indexToWorld(b), v);
    const double nu = norm(u), nw = norm(w);
    if (nu <= 0.0 || nw <= 0.0) {
        return 0.0;
    }
    const double c = (u[0] * w[0] + u[1] * w[1] + u[2] * w[2]) / (nu * nw);
    return std::acos(std::clamp(c, -1.0, 1.0)) * 180.0 / std::acos(-1.0);
}

RoiStatistics roiStatistics(const Image& image, RoiShape shape, int sliceAxis, const Vec3& corner1, const Vec3& corner2)
{
    if (sliceAxis < 0 || sliceAxis > 2) {
        throw InvalidArgument("roiStatistics: the slice axis must be 0, 1 or 2.");
    }
    const auto& size = image.size();
    const auto s = static_cast<std::size_t>(sliceAxis);
    const std::size_t ua = s == 0 ? 1 : 0, va = s == 2 ? 1 : 2; // the in-plane axes
    RoiStatistics out;
    const double slice = std::round(corner1[s]);
    if (slice < 0 || slice >= static_cast<double>(size[s])) {
        return out;
    }
    const double u0 = std::min(corner1[ua], corner2[ua]), u1 = std::max(corner1[ua], corner2[ua]);
    const double v0 = std::min(corner1[va], corner2[va]), v1 = std::max(corner1[va], corner2[va]);
    const double cu = (u0 + u1) / 2, cv = (v0 + v1) / 2, ru = (u1 - u0) / 2, rv = (v1 - v0) / 2;
    const auto first = [](double lo) { return static_cast<long>(std::max(0.0, std::ceil(lo - 1e-9))); };
    const auto last = [](double hi, std::size_t n) { return static_cast<long>(std::min(static_cast<double>(n) - 1, std::floor(hi + 1e-9))); };
    double mean = 0.0, m2 = 0.0; // Welford: stable for large values
    for (long v = first(v0); v <= last(v1, size[va]); ++v) {
        for (long u = first(u0); u <= last(u1, size[ua]); ++u) {
            if (shape == RoiShape::Ellipse) {
                const double du = ru > 0 ? (static_cast<double>(u) - cu) / ru : 0.0;
                const double dv = rv > 0 ? (static_cast<double>(v) - cv) / rv : 0.0;
                if (du * du + dv * dv > 1.0 + 1e-9) {
                    continue;
                }
            }
            std::size_t idx[3];
            idx[s] = static_cast<std::size_t>(slice);
            idx[ua] = static_cast<std::size_t>(u);
            idx[va] = static_cast<std::size_t>(v);
            const double x = image.valueAt(idx[0], idx[1], idx[2]);
            if (out.voxels == 0) {
                out.min = out.max = x;
            }
            out.min = std::min(out.min, x);
            out.max = std::max(out.max, x);
            ++out.voxels;
            const double d = x - mean;
            mean += d / static_cast<double>(out.voxels);
            m2 += d * (x - mean);
        }
    }
    if (out.voxels > 0) {
        const double n = static_cast<double>(out.voxels);
        out.mean = mean;
        out.sd = out.voxels > 1 ? std::sqrt(std::max(0.0, m2 / (n - 1))) : 0.0;
        const auto& sp = image.spacing();
        out.areaMm2 = n * sp[ua] * sp[va];
        out.volumeMm3 = n * sp[0] * sp[1] * sp[2];
    }
    return out;
}

} // namespace strata::measure

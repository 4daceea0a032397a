#include "strata/Resample.h"

#include "strata/Error.h"

#include <algorithm>
#include <cmath>
#include <thread>
#include <vector>

namespace strata {

namespace {

/// Maps output voxel (i,j,k) to continuous input index: in = A * out + b.
struct IndexMap {
    double a[9];
    double b[3];
};

IndexMap buildMap(const Image& in, const Image& out)
{
    IndexMap m{};
    const Vec3 o = in.worldToIndex(out.indexToWorld({0, 0, 0}));
    for (int c = 0; c < 3; ++c) {
        Vec3 e{0, 0, 0};
        e[static_cast<std::size_t>(c)] = 1.0;
        const Vec3 p = in.worldToIndex(out.indexToWorld(e));
        for (int r = 0; r < 3; ++r) {
            m.a[r * 3 + c] = p[static_cast<std::size_t>(r)] - o[static_cast<std::size_t>(r)];
        }
    }
    for (int r = 0; r < 3; ++r) {
        m.b[r] = o[static_cast<std::size_t>(r)];
    }
    return m;
}

template <typename T> void resampleTyped(const Image& in, Image& out, Interpolation interp)
{
    const IndexMap m = buildMap(in, out);
    const auto src = in.pixels<T>();
    const auto nx = static_cast<std::ptrdiff_t>(in.size()[0]);
    const auto ny = static_cast<std::ptrdiff_t>(in.size()[1]);
    const auto nz = static_cast<std::ptrdiff_t>(in.size()[2]);
    const Size3 os = out.size();
    auto sample = [&](double x, double y, double z) -> double {
        if (interp == Interpolation::Nearest) {
            const auto i = static_cast<std::ptrdiff_t>(std::lround(x));
            const auto j = static_cast<std::ptrdiff_t>(std::lround(y));
            const auto k = static_cast<std::ptrdiff_t>(std::lround(z));
            if (i < 0 || j < 0 || k < 0 || i >= nx || j >= ny || k >= nz) {
                return 0.0;
            }
            return static_cast<double>(src[static_cast<std::size_t>(i + nx * (j + ny * k))]);
        }
        // Linear, clamped at the border (edge voxels extend half a voxel).
        x = std::clamp(x, 0.0, static_cast<double>(nx - 1));
        y = std::clamp(y, 0.0, static_cast<double>(ny - 1));
        z = std::clamp(z, 0.0, static_cast<double>(nz - 1));
        const auto i0 = static_cast<std::ptrdiff_t>(std::floor(x));
        const auto j0 = static_cast<std::ptrdiff_t>(std::floor(y));
        const auto k0 = static_cast<std::ptrdiff_t>(std::floor(z));
        const auto i1 = std::min(i0 + 1, nx - 1), j1 = std::min(j0 + 1, ny - 1), k1 = std::min(k0 + 1, nz - 1);
        const double fx = x - static_cast<double>(i0), fy = y - static_cast<double>(j0), fz = z - static_cast<double>(k0);
        auto v = [&](std::ptrdiff_t i, std::ptrdiff_t j, std::ptrdiff_t k) {
            return static_cast<double>(src[static_cast<std::size_t>(i + nx * (j + ny * k))]);
        };
        const double c00 = v(i0, j0, k0) * (1 - fx) + v(i1, j0, k0) * fx;
        const double c10 = v(i0, j1, k0) * (1 - fx) + v(i1, j1, k0) * fx;
        const double c01 = v(i0, j0, k1) * (1 - fx) + v(i1, j0, k1) * fx;
        const double c11 = v(i0, j1, k1) * (1 - fx) + v(i1, j1, k1) * fx;
        return (c00 * (1 - fy) + c10 * fy) * (1 - fz) + (c01 * (1 - fy) + c11 * fy) * fz;
    };
    auto work = [&](std::size_t k0, std::size_t k1) {
        for (std::size_t k = k0; k < k1; ++k) {
            for (std::size_t j = 0; j < os[1]; ++j) {
                for (std::size_t i = 0; i < os[0]; ++i) {
                    const double di = static_cast<double>(i), dj = static_cast<double>(j), dk = static_cast<double>(k);
                    const double x = m.a[0] * di + m.a[1] * dj + m.a[2] * dk + m.b[0];
                    const double y = m.a[3] * di + m.a[4] * dj + m.a[5] * dk + m.b[1];
                    const double z = m.a[6] * di + m.a[7] * dj + m.a[8] * dk + m.b[2];
                    const double value = sample(x, y, z);
                    const std::size_t n = out.linearIndex(i, j, k);
                    if (out.pixelType() == PixelType::Float32) {
                        out.pixels<float>()[n] = static_cast<float>(value);
                    } else {
                        out.pixels<T>()[n] = static_cast<T>(value);
                    }
                }
            }
        }
    };
    const std::size_t threads = std::max(1u, std::thread::hardware_concurrency());
    std::vector<std::jthread> pool;
    const std::size_t chunk = (os[2] + threads - 1) / threads;
    for (std::size_t t = 0; t < threads; ++t) {
        const std::size_t a = t * chunk, b = std::min(os[2], a + chunk);
        if (a < b) {
            pool.emplace_back(work, a, b);
        }
    }
}

} // namespace

bool spacingMatches(const Vec3& a, const Vec3& b, double relativeTolerance)
{
    for (std::size_t i = 0; i < 3; ++i) {
        if (std::abs(a[i] - b[i]) > relativeTolerance * b[i]) {
            return false;
        }
    }
    return true;
}

Image resampleLike(const Image& image, const Image& reference, Interpolation interpolation)
{
    if (image.components() != 1) {
        throw InvalidArgument("Resampling supports single-component images only.");
    }
    const PixelType outType = interpolation == Interpolation::Linear ? PixelType::Float32 : image.pixelType();
    Image out(reference.size(), outType, 1);
    out.copyGeometryFrom(reference);
    dispatchPixelType(image.pixelType(), [&](auto tag) { resampleTyped<decltype(tag)>(image, out, interpolation); });
    return out;
}

Image resampleToSpacing(const Image& image, const Vec3& spacing, Interpolation interpolation)
{
    Size3 size{};
    for (std::size_t a = 0; a < 3; ++a) {
        if (!(spacing[a] > 0)) {
            throw InvalidArgument("Target spacing must be positive.");
        }
        const double extent = static_cast<double>(image.size()[a]) * image.spacing()[a];
        size[a] = std::max<std::size_t>(1, static_cast<std::size_t>(std::lround(extent / spacing[a])));
    }
    Image reference(size, PixelType::UInt8, 1);
    reference.setSpacing(spacing);
    reference.setDirection(image.direction());
    // Keep the outer faces of the volume where they were: shift the first centre by half the voxel difference.
    Vec3 shiftIndex{};
    for (std::size_t a = 0; a < 3; ++a) {
        shiftIndex[a] = 0.5 * (spacing[a] / image.spacing()[a] - 1.0);
    }
    reference.setOrigin(image.indexToWorld(shiftIndex));
    return resampleLike(image, reference, interpolation);
}

} // namespace strata

#include "strata/Image.h"

#include "strata/Error.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <type_traits>

namespace strata {

namespace {

constexpr std::size_t kMaxAxis = std::size_t{1} << 20;

Mat3 inverse3(const Mat3& m)
{
    const double det = m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) +
                       m[2] * (m[3] * m[7] - m[4] * m[6]);
    if (std::abs(det) < 1e-12) {
        throw InvalidArgument("Image direction matrix is singular.");
    }
    const double inv = 1.0 / det;
    return {(m[4] * m[8] - m[5] * m[7]) * inv, (m[2] * m[7] - m[1] * m[8]) * inv, (m[1] * m[5] - m[2] * m[4]) * inv,
            (m[5] * m[6] - m[3] * m[8]) * inv, (m[0] * m[8] - m[2] * m[6]) * inv, (m[2] * m[3] - m[0] * m[5]) * inv,
            (m[3] * m[7] - m[4] * m[6]) * inv, (m[1] * m[6] - m[0] * m[7]) * inv, (m[0] * m[4] - m[1] * m[3]) * inv};
}

template <typename Out, typename In> Out saturatingCast(In v)
{
    if constexpr (std::is_floating_point_v<Out>) {
        return static_cast<Out>(v);
    } else {
        const double d = static_cast<double>(v);
        if (std::isnan(d)) {
            return Out{0};
        }
        const double lo = static_cast<double>(std::numeric_limits<Out>::lowest());
        const double hi = static_cast<double>(std::numeric_limits<Out>::max());
        const double r = std::is_floating_point_v<In> ? std::round(d) : d;
        return static_cast<Out>(std::clamp(r, lo, hi));
    }
}

} // namespace

Image::Image(Size3 size, PixelType type, int components)
    : size_(size), type_(type), components_(components)
{
    for (std::size_t a = 0; a < 3; ++a) {
        if (size[a] == 0 || size[a] > kMaxAxis) {
            throw InvalidArgument("Image size " + std::to_string(size[0]) + "x" + std::to_string(size[1]) + "x" +
                                  std::to_string(size[2]) + " is invalid (each axis must be 1.." +
                                  std::to_string(kMaxAxis) + ").");
        }
    }
    if (components < 1 || components > 4) {
        throw InvalidArgument("Images have 1 to 4 components per pixel, not " + std::to_string(components) + ".");
    }
    buffer_.resize(voxelCount() * static_cast<std::size_t>(components) * bytesPerComponent(type));
}

void Image::setSpacing(const Vec3& spacing)
{
    for (double s : spacing) {
        if (!(s > 0.0) || !std::isfinite(s)) {
            throw InvalidArgument("Image spacing must be positive and finite, got " + std::to_string(s) + ".");
        }
    }
    spacing_ = spacing;
}

void Image::setDirection(const Mat3& direction)
{
    (void)inverse3(direction); // validates
    direction_ = direction;
}

void Image::copyGeometryFrom(const Image& other)
{
    spacing_ = other.spacing_;
    origin_ = other.origin_;
    direction_ = other.direction_;
}

bool Image::sameGeometry(const Image& other, double tolerance) const
{
    if (size_ != other.size_) {
        return false;
    }
    for (std::size_t a = 0; a < 3; ++a) {
        if (std::abs(spacing_[a] - other.spacing_[a]) > tolerance || std::abs(origin_[a] - other.origin_[a]) > tolerance) {
            return false;
        }
    }
    for (std::size_t a = 0; a < 9; ++a) {
        if (std::abs(direction_[a] - other.direction_[a]) > tolerance) {
            return false;
        }
    }
    return true;
}

Vec3 Image::indexToWorld(const Vec3& index) const
{
    Vec3 w = origin_;
    for (std::size_t r = 0; r < 3; ++r) {
        for (std::size_t c = 0; c < 3; ++c) {
            w[r] += direction_[r * 3 + c] * spacing_[c] * index[c];
        }
    }
    return w;
}

Vec3 Image::worldToIndex(const Vec3& world) const
{
    const Mat3 inv = inverse3(direction_);
    Vec3 d{world[0] - origin_[0], world[1] - origin_[1], world[2] - origin_[2]};
    Vec3 idx{0, 0, 0};
    for (std::size_t r = 0; r < 3; ++r) {
        for (std::size_t c = 0; c < 3; ++c) {
            idx[r] += inv[r * 3 + c] * d[c];
        }
        idx[r] /= spacing_[r];
    }
    return idx;
}

double Image::valueAt(std::size_t i, std::size_t j, std::size_t k, int c) const
{
    const std::size_t n = linearIndex(i, j, k) * static_cast<std::size_t>(components_) + static_cast<std::size_t>(c);
    return dispatchPixelType(type_, [&](auto tag) {
        using T = decltype(tag);
        return static_cast<double>(reinterpret_cast<const T*>(buffer_.data())[n]);
    });
}

std::array<double, 2> Image::minMax() const
{
    if (buffer_.empty()) {
        return {0.0, 0.0};
    }
    return dispatchPixelType(type_, [&](auto tag) {
        using T = decltype(tag);
        const auto px = pixels<T>();
        if constexpr (std::is_integral_v<T>) {
            // A plain reduction the compiler vectorises (minmax_element's branches it does not): the same answer.
            T lo = px[0];
            T hi = px[0];
            for (const T v : px) {
                lo = std::min(lo, v);
                hi = std::max(hi, v);
            }
            return std::array<double, 2>{static_cast<double>(lo), static_cast<double>(hi)};
        } else {
            const auto [lo, hi] = std::minmax_element(px.begin(), px.end()); // keeps its NaN rules
            return std::array<double, 2>{static_cast<double>(*lo), static_cast<double>(*hi)};
        }
    });
}

Image Image::convertedTo(PixelType type) const
{
    Image out(size_, type, components_);
    out.copyGeometryFrom(*this);
    dispatchPixelType(type_, [&](auto inTag) {
        using In = decltype(inTag);
        dispatchPixelType(type, [&](auto outTag) {
            using Out = decltype(outTag);
            const auto src = pixels<In>();
            auto dst = out.pixels<Out>();
            std::transform(src.begin(), src.end(), dst.begin(), [](In v) { return saturatingCast<Out>(v); });
        });
    });
    return out;
}

void Image::checkType(PixelType requested) const
{
    if (requested != type_) {
        throw InvalidArgument("Image holds " + std::string(pixelTypeName(type_)) + " pixels, not " +
                              std::string(pixelTypeName(requested)) + ".");
    }
}

} // namespace strata

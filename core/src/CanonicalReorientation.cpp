#include "strata/CanonicalReorientation.h"

#include "strata/Error.h"
#include "strata/Vec3Math.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numbers>

namespace strata {

namespace {

constexpr double kDegPerRad = 180.0 / std::numbers::pi;

Vec3 column(const Mat3& m, std::size_t c)
{
    return {m[c], m[3 + c], m[6 + c]};
}

/// An image of the given type on a grid (size, spacing, origin, direction).
Image onGrid(const Size3& size, const Vec3& spacing, const Vec3& origin, const Mat3& direction, PixelType type,
             int components)
{
    Image image(size, type, components);
    image.setSpacing(spacing);
    image.setOrigin(origin);
    image.setDirection(direction);
    return image;
}

std::string fmt3(const Vec3& v)
{
    char buf[96];
    std::snprintf(buf, sizeof buf, "%g x %g x %g", v[0], v[1], v[2]);
    return buf;
}

} // namespace

void CanonicalReorientation::checkGeometry(const Image& image, const std::string& what)
{
    const auto& s = image.size();
    if (image.is2D() || s[0] < 2 || s[1] < 2) {
        throw InvalidArgument(what + " is not a 3D volume (" + std::to_string(s[0]) + " x " + std::to_string(s[1]) +
                              " x " + std::to_string(s[2]) + " voxels).");
    }
    for (double v : image.spacing()) {
        if (!std::isfinite(v) || !(v > 0.0)) {
            throw InvalidArgument(what + " has an invalid voxel spacing (" + fmt3(image.spacing()) +
                                  " mm): every spacing must be positive and finite.");
        }
    }
    for (double v : image.origin()) {
        if (!std::isfinite(v)) {
            throw InvalidArgument(what + " has a non-finite origin (" + fmt3(image.origin()) + ").");
        }
    }
    const Mat3& d = image.direction();
    double worst = 0.0;
    for (std::size_t a = 0; a < 3; ++a) {
        for (std::size_t b = 0; b < 3; ++b) {
            const double g = dot(column(d, a), column(d, b));
            worst = std::max(worst, std::isfinite(g) ? std::abs(g - (a == b ? 1.0 : 0.0)) : 1e9);
        }
    }
    if (worst > 1e-3) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.3g", worst);
        throw InvalidArgument(what + " has a direction matrix that is not orthonormal (axes not at right angles or "
                                     "not of unit length; largest deviation " + buf + "): its orientation in the "
                                     "patient cannot be trusted.");
    }
}

CanonicalReorientation::CanonicalReorientation(const Image& input, const AnatomicalFrame& frame,
                                               const Vec3& obliqueSpacing, bool mirror)
    : inputSize_(input.size()), inputSpacing_(input.spacing()), inputOrigin_(input.origin()),
      inputDirection_(input.direction()), frame_(frame), inputFrame_(AnatomicalFrame::nearestTo(input.direction())),
      mirror_(mirror)
{
    const Mat3 canonical = frame.direction();
    // Match each canonical axis with the input axis closest to it.
    std::array<bool, 3> used{false, false, false};
    for (std::size_t c = 0; c < 3; ++c) {
        const Vec3 u = column(canonical, c);
        int best = -1;
        double bestDot = 0.0;
        for (std::size_t a = 0; a < 3; ++a) {
            const double g = dot(u, column(inputDirection_, a));
            if (!used[a] && std::abs(g) > std::abs(bestDot)) {
                best = static_cast<int>(a);
                bestDot = g;
            }
        }
        if (best < 0) {
            exact_ = false;
            obliqueDeg_ = 90.0;
            break;
        }
        used[static_cast<std::size_t>(best)] = true;
        perm_[c] = best;
        flip_[c] = bestDot < 0.0;
        obliqueDeg_ = std::max(obliqueDeg_, std::acos(std::min(1.0, std::abs(bestDot))) * kDegPerRad);
    }
    exact_ = exact_ && obliqueDeg_ <= kExactToleranceDeg;

    if (exact_) {
        Vec3 cornerIndex{};
        for (std::size_t c = 0; c < 3; ++c) {
            const auto a = static_cast<std::size_t>(perm_[c]);
            size_[c] = inputSize_[a];
            spacing_[c] = inputSpacing_[a];
            const double sign = flip_[c] ? -1.0 : 1.0;
            for (std::size_t r = 0; r < 3; ++r) direction_[r * 3 + c] = sign * inputDirection_[r * 3 + a];
            cornerIndex[a] = flip_[c] ? static_cast<double>(inputSize_[a] - 1) : 0.0;
        }
        origin_ = input.indexToWorld(cornerIndex);
        return;
    }

    // Oblique: the input's box (outer voxel faces) in frame coordinates.
    direction_ = canonical;
    Vec3 lo{1e300, 1e300, 1e300}, hi{-1e300, -1e300, -1e300};
    for (int corner = 0; corner < 8; ++corner) {
        Vec3 idx{};
        for (std::size_t a = 0; a < 3; ++a) {
            idx[a] = (corner >> a) & 1 ? static_cast<double>(inputSize_[a]) - 0.5 : -0.5;
        }
        const Vec3 w = input.indexToWorld(idx);
        for (std::size_t c = 0; c < 3; ++c) {
            const double u = dot(column(canonical, c), w);
            lo[c] = std::min(lo[c], u);
            hi[c] = std::max(hi[c], u);
        }
    }
    Vec3 start{};
    for (std::size_t c = 0; c < 3; ++c) {
        if (!(obliqueSpacing[c] > 0.0) || !std::isfinite(obliqueSpacing[c])) {
            throw InvalidArgument("Canonical spacing must be positive and finite.");
        }
        spacing_[c] = obliqueSpacing[c];
        size_[c] = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil((hi[c] - lo[c]) / spacing_[c] - 1e-6)));
        // Centre the grid on the box.
        start[c] = 0.5 * (lo[c] + hi[c]) - 0.5 * static_cast<double>(size_[c] - 1) * spacing_[c];
    }
    for (std::size_t r = 0; r < 3; ++r) {
        origin_[r] = 0.0;
        for (std::size_t c = 0; c < 3; ++c) origin_[r] += canonical[r * 3 + c] * start[c];
    }
}

Image CanonicalReorientation::canonicalReference() const
{
    return onGrid(size_, spacing_, origin_, direction_, PixelType::UInt8, 1);
}

Image CanonicalReorientation::inputReference() const
{
    return onGrid(inputSize_, inputSpacing_, inputOrigin_, inputDirection_, PixelType::UInt8, 1);
}

void CanonicalReorientation::permuteBytes(const Image& from, Image& to, bool scatter) const
{
    // Walk the canonical grid; the input voxel of canonical (q0, q1, q2) is start + sum q_c * step_c.
    const std::size_t bpv = bytesPerComponent(from.pixelType()) * static_cast<std::size_t>(from.components());
    const std::array<std::ptrdiff_t, 3> inStride{1, static_cast<std::ptrdiff_t>(inputSize_[0]),
                                                 static_cast<std::ptrdiff_t>(inputSize_[0] * inputSize_[1])};
    const int lr = frame_.leftRightAxis();
    std::array<std::ptrdiff_t, 3> step{};
    std::ptrdiff_t start = 0;
    for (std::size_t c = 0; c < 3; ++c) {
        const auto a = static_cast<std::size_t>(perm_[c]);
        const bool reverse = flip_[c] != (mirror_ && static_cast<int>(c) == lr);
        step[c] = reverse ? -inStride[a] : inStride[a];
        if (reverse) start += static_cast<std::ptrdiff_t>(inputSize_[a] - 1) * inStride[a];
    }
    const std::byte* src = from.data();
    std::byte* dst = to.data();
    std::size_t q = 0;
    for (std::size_t k = 0; k < size_[2]; ++k) {
        for (std::size_t j = 0; j < size_[1]; ++j) {
            std::ptrdiff_t in = start + static_cast<std::ptrdiff_t>(k) * step[2] + static_cast<std::ptrdiff_t>(j) * step[1];
            for (std::size_t i = 0; i < size_[0]; ++i, ++q, in += step[0]) {
                const auto n = static_cast<std::size_t>(in);
                if (scatter) {
                    std::memcpy(dst + n * bpv, src + q * bpv, bpv);
                } else {
                    std::memcpy(dst + q * bpv, src + n * bpv, bpv);
                }
            }
        }
    }
}

Image CanonicalReorientation::mirrorCopy(const Image& image) const
{
    Image out(image.size(), image.pixelType(), image.components());
    out.copyGeometryFrom(image);
    const std::size_t bpv = bytesPerComponent(image.pixelType()) * static_cast<std::size_t>(image.components());
    const auto lr = static_cast<std::size_t>(frame_.leftRightAxis());
    const Size3& s = image.size();
    for (std::size_t k = 0; k < s[2]; ++k) {
        for (std::size_t j = 0; j < s[1]; ++j) {
            for (std::size_t i = 0; i < s[0]; ++i) {
                std::array<std::size_t, 3> m{i, j, k};
                m[lr] = s[lr] - 1 - m[lr];
                std::memcpy(out.data() + image.linearIndex(i, j, k) * bpv,
                            image.data() + image.linearIndex(m[0], m[1], m[2]) * bpv, bpv);
            }
        }
    }
    return out;
}

Image CanonicalReorientation::toCanonical(const Image& image, Interpolation interpolation, double outsideValue) const
{
    if (image.size() != inputSize_) {
        throw InvalidArgument("CanonicalReorientation: the image is not on the grid it was planned for.");
    }
    if (exact_) {
        Image out = onGrid(size_, spacing_, origin_, direction_, image.pixelType(), image.components());
        permuteBytes(image, out, false);
        return out;
    }
    Image out = resampleLike(image, canonicalReference(), interpolation);
    // Points outside the input's field of view: resampleLike extends the border (linear) or gives 0 (nearest).
    const Image in = inputReference();
    // Continuous input index of canonical voxel q: b + A q (affine, computed once).
    const Vec3 b = in.worldToIndex(out.indexToWorld({0, 0, 0}));
    std::array<Vec3, 3> A{};
    for (std::size_t c = 0; c < 3; ++c) {
        Vec3 e{0, 0, 0};
        e[c] = 1.0;
        const Vec3 p = in.worldToIndex(out.indexToWorld(e));
        for (std::size_t r = 0; r < 3; ++r) A[c][r] = p[r] - b[r];
    }
    dispatchPixelType(out.pixelType(), [&](auto tag) {
        using T = decltype(tag);
        auto px = out.pixels<T>();
        std::size_t n = 0;
        for (std::size_t k = 0; k < size_[2]; ++k) {
            for (std::size_t j = 0; j < size_[1]; ++j) {
                for (std::size_t i = 0; i < size_[0]; ++i, ++n) {
                    bool inside = true;
                    for (std::size_t r = 0; r < 3; ++r) {
                        const double x = b[r] + A[0][r] * static_cast<double>(i) + A[1][r] * static_cast<double>(j) +
                                         A[2][r] * static_cast<double>(k);
                        inside = inside && x >= -0.5 && x <= static_cast<double>(inputSize_[r]) - 0.5;
                    }
                    if (!inside) px[n] = static_cast<T>(outsideValue);
                }
            }
        }
    });
    return mirror_ ? mirrorCopy(out) : out;
}

Image CanonicalReorientation::back(const Image& labels) const
{
    const Image ref = canonicalReference();
    Image canonical = labels.sameGeometry(ref) ? labels : resampleLike(labels, ref, Interpolation::Nearest);
    if (exact_) {
        Image out = onGrid(inputSize_, inputSpacing_, inputOrigin_, inputDirection_, canonical.pixelType(),
                           canonical.components());
        permuteBytes(canonical, out, true);
        return out;
    }
    if (mirror_) canonical = mirrorCopy(canonical);
    return resampleLike(canonical, inputReference(), Interpolation::Nearest);
}

nlohmann::json CanonicalReorientation::toJson() const
{
    nlohmann::json j{{"input_axes", inputFrame_.letters()},
                     {"canonical_axes", frame_.letters()},
                     {"method", exact_ ? "permutation" : "resampled"},
                     {"oblique_deg", std::round(obliqueDeg_ * 100.0) / 100.0},
                     {"mirrored_left_right", mirror_}};
    if (exact_) {
        j["permutation"] = perm_;
        j["flipped"] = flip_;
    } else {
        j["canonical_size"] = size_;
        j["canonical_spacing"] = spacing_;
    }
    return j;
}

} // namespace strata

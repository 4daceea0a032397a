#include "strata/edit/LabelStroke.h"

#include "strata/Error.h"

#include <algorithm>
#include <cmath>

namespace strata::edit {

LabelStroke::LabelStroke(LabelMap& labels, const Image* intensity, std::uint8_t value, PaintRule rule)
    : labels_(labels), intensity_(intensity), value_(value), rule_(rule)
{
    if (rule_.limitsIntensity() && (!intensity_ || intensity_->size() != labels_.image().size())) {
        throw InvalidArgument("An intensity range needs the image the labels were drawn on (same size).");
    }
    if (labels_.image().voxelCount() > 0xFFFFFFFFull) throw InvalidArgument("A label map this large cannot be edited.");
}

std::size_t LabelStroke::stamp(const Vec3& centre, const BrushShape& brush)
{
    const Image& img = labels_.image();
    const Size3& size = img.size();
    const Vec3& h = img.spacing();
    auto ids = labels_.ids();
    std::array<long, 3> lo{}, hi{};
    for (std::size_t a = 0; a < 3; ++a) {
        const bool flat = !brush.sphere && static_cast<int>(a) == brush.axis;
        const double reach = flat ? 0.0 : brush.radiusMm / h[a];
        lo[a] = std::max(0L, static_cast<long>(std::ceil(centre[a] - reach - (flat ? 0.5 : 0.0))));
        hi[a] = std::min(static_cast<long>(size[a]) - 1, static_cast<long>(std::floor(centre[a] + reach + (flat ? 0.49 : 0.0))));
    }
    if (!brush.sphere) lo[brush.axis] = hi[brush.axis] = std::lround(centre[static_cast<std::size_t>(brush.axis)]);
    const double r2 = brush.radiusMm * brush.radiusMm;
    std::size_t changed = 0;
    for (long z = lo[2]; z <= hi[2]; ++z)
        for (long y = lo[1]; y <= hi[1]; ++y)
            for (long x = lo[0]; x <= hi[0]; ++x) {
                const std::array<long, 3> v{x, y, z};
                double d2 = 0;
                for (std::size_t a = 0; a < 3; ++a) {
                    if (!brush.sphere && static_cast<int>(a) == brush.axis) continue;
                    const double d = (static_cast<double>(v[a]) - centre[a]) * h[a];
                    d2 += d * d;
                }
                if (d2 > r2 || v[0] < 0 || v[1] < 0 || v[2] < 0 || v[0] >= static_cast<long>(size[0]) ||
                    v[1] >= static_cast<long>(size[1]) || v[2] >= static_cast<long>(size[2]))
                    continue;
                const std::size_t i = img.linearIndex(static_cast<std::size_t>(x), static_cast<std::size_t>(y), static_cast<std::size_t>(z));
                if (ids[i] == value_ || !rule_.allows(ids[i], intensity_, i)) continue;
                before_.try_emplace(static_cast<std::uint32_t>(i), ids[i]);
                ids[i] = value_;
                ++changed;
            }
    return changed;
}

std::size_t LabelStroke::line(const Vec3& from, const Vec3& to, const BrushShape& brush)
{
    const Vec3& h = labels_.image().spacing();
    double lengthMm = 0;
    for (std::size_t a = 0; a < 3; ++a) lengthMm += ((to[a] - from[a]) * h[a]) * ((to[a] - from[a]) * h[a]);
    lengthMm = std::sqrt(lengthMm);
    const int steps = std::max(1, static_cast<int>(std::ceil(lengthMm / std::max(0.25 * brush.radiusMm, 0.1))));
    std::size_t changed = 0;
    for (int s = 1; s <= steps; ++s) {
        const double t = static_cast<double>(s) / steps;
        changed += stamp({from[0] + (to[0] - from[0]) * t, from[1] + (to[1] - from[1]) * t, from[2] + (to[2] - from[2]) * t}, brush);
    }
    return changed;
}

LabelDelta LabelStroke::finish()
{
    LabelDelta d;
    d.value = value_;
    std::vector<std::pair<std::uint32_t, std::uint8_t>> items(before_.begin(), before_.end());
    std::sort(items.begin(), items.end());
    d.indices.reserve(items.size());
    d.before.reserve(items.size());
    for (const auto& [i, b] : items) {
        d.indices.push_back(i);
        d.before.push_back(b);
    }
    before_.clear();
    return d;
}

} // namespace strata::edit

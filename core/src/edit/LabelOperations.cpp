#include "strata/edit/LabelOperations.h"

#include "strata/Error.h"

#include <algorithm>

namespace strata::edit {
namespace {

/// 26-connected components of `label`: a component id per voxel (0: not the label), and each component's size
/// (index 0 unused).
std::pair<std::vector<std::uint32_t>, std::vector<std::size_t>> components(const LabelMap& labels, int label)
{
    const auto ids = labels.ids();
    const Size3& s = labels.image().size();
    const long nx = static_cast<long>(s[0]), ny = static_cast<long>(s[1]), nz = static_cast<long>(s[2]);
    std::vector<std::uint32_t> comp(ids.size(), 0);
    std::vector<std::size_t> sizes{0};
    std::vector<std::size_t> stack;
    for (std::size_t start = 0; start < ids.size(); ++start) {
        if (ids[start] != label || comp[start] != 0) continue;
        const auto id = static_cast<std::uint32_t>(sizes.size());
        sizes.push_back(0);
        comp[start] = id;
        stack.push_back(start);
        while (!stack.empty()) {
            const std::size_t i = stack.back();
            stack.pop_back();
            ++sizes[id];
            const long x = static_cast<long>(i % s[0]), y = static_cast<long>((i / s[0]) % s[1]), z = static_cast<long>(i / (s[0] * s[1]));
            for (long dz = -1; dz <= 1; ++dz)
                for (long dy = -1; dy <= 1; ++dy)
                    for (long dx = -1; dx <= 1; ++dx) {
                        const long X = x + dx, Y = y + dy, Z = z + dz;
                        if (X < 0 || Y < 0 || Z < 0 || X >= nx || Y >= ny || Z >= nz) continue;
                        const auto j = static_cast<std::size_t>(X + nx * (Y + ny * Z));
                        if (ids[j] != label || comp[j] != 0) continue;
                        comp[j] = id;
                        stack.push_back(j);
                    }
        }
    }
    return {std::move(comp), std::move(sizes)};
}

/// Sets to 0 the voxels of the components of `label` that `drop(sizes)` marks (one flag per component id).
template <typename Drop> LabelDelta dropComponents(LabelMap& labels, int label, Drop drop)
{
    const auto [comp, sizes] = components(labels, label);
    const std::vector<bool> dropped = drop(sizes);
    LabelDelta d;
    d.value = 0;
    auto ids = labels.ids();
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (comp[i] == 0 || !dropped[comp[i]]) continue;
        d.indices.push_back(static_cast<std::uint32_t>(i));
        d.before.push_back(ids[i]);
        ids[i] = 0;
    }
    return d;
}

} // namespace

LabelDelta floodFill2D(LabelMap& labels, const Image* intensity, const std::array<long, 3>& seed, int axis,
                       std::uint8_t value, const PaintRule& rule)
{
    const Size3& s = labels.image().size();
    if (axis < 0 || axis > 2) throw InvalidArgument("A slice is across index axis 0, 1 or 2.");
    for (std::size_t a = 0; a < 3; ++a) {
        if (seed[a] < 0 || seed[a] >= static_cast<long>(s[a])) throw InvalidArgument("The fill starts outside the image.");
    }
    if (rule.limitsIntensity() && (!intensity || intensity->size() != s)) {
        throw InvalidArgument("An intensity range needs the image the labels were drawn on (same size).");
    }
    auto ids = labels.ids();
    const auto index = [&](const std::array<long, 3>& v) {
        return static_cast<std::size_t>(v[0]) + s[0] * (static_cast<std::size_t>(v[1]) + s[1] * static_cast<std::size_t>(v[2]));
    };
    const std::uint8_t from = ids[index(seed)];
    LabelDelta d;
    d.value = value;
    if (from == value || !rule.allows(from, intensity, index(seed))) return d;
    // The two in-plane axes.
    const int u = axis == 0 ? 1 : 0, w = axis == 2 ? 1 : 2;
    std::vector<std::array<long, 3>> stack{seed};
    ids[index(seed)] = value;
    d.indices.push_back(static_cast<std::uint32_t>(index(seed)));
    d.before.push_back(from);
    while (!stack.empty()) {
        const auto v = stack.back();
        stack.pop_back();
        for (const auto [du, dw] : {std::pair{1, 0}, std::pair{-1, 0}, std::pair{0, 1}, std::pair{0, -1}}) {
            auto n = v;
            n[static_cast<std::size_t>(u)] += du;
            n[static_cast<std::size_t>(w)] += dw;
            if (n[static_cast<std::size_t>(u)] < 0 || n[static_cast<std::size_t>(w)] < 0 ||
                n[static_cast<std::size_t>(u)] >= static_cast<long>(s[static_cast<std::size_t>(u)]) ||
                n[static_cast<std::size_t>(w)] >= static_cast<long>(s[static_cast<std::size_t>(w)]))
                continue;
            const std::size_t i = index(n);
            if (ids[i] != from || !rule.allows(ids[i], intensity, i)) continue;
            ids[i] = value;
            d.indices.push_back(static_cast<std::uint32_t>(i));
            d.before.push_back(from);
            stack.push_back(n);
        }
    }
    // Ascending indices, as every delta.
    std::vector<std::size_t> order(d.indices.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return d.indices[a] < d.indices[b]; });
    LabelDelta sorted;
    sorted.value = value;
    for (const auto k : order) {
        sorted.indices.push_back(d.indices[k]);
        sorted.before.push_back(d.before[k]);
    }
    return sorted;
}

LabelDelta keepLargestComponent(LabelMap& labels, int label)
{
    return dropComponents(labels, label, [](const std::vector<std::size_t>& sizes) {
        std::vector<bool> drop(sizes.size(), true);
        if (sizes.size() > 1) drop[static_cast<std::size_t>(std::max_element(sizes.begin() + 1, sizes.end()) - sizes.begin())] = false;
        return drop;
    });
}

LabelDelta removeIslands(LabelMap& labels, int label, std::size_t minVoxels)
{
    return dropComponents(labels, label, [minVoxels](const std::vector<std::size_t>& sizes) {
        std::vector<bool> drop(sizes.size());
        for (std::size_t c = 1; c < sizes.size(); ++c) drop[c] = sizes[c] < minVoxels;
        return drop;
    });
}

} // namespace strata::edit

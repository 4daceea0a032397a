#include "strata/quant/Cleanup.h"

#include "quant/BinaryVolume.h"
#include "quant/DistanceTransform.h"
#include "strata/Error.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <span>
#include <unordered_map>

namespace strata::quant {
namespace {

class UnionFind {
public:
    explicit UnionFind(std::size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), 0u); }
    std::uint32_t find(std::uint32_t a)
    {
        while (parent_[a] != a) {
            parent_[a] = parent_[parent_[a]];
            a = parent_[a];
        }
        return a;
    }
    void unite(std::uint32_t a, std::uint32_t b)
    {
        a = find(a);
        b = find(b);
        if (a == b) return;
        if (a < b) parent_[b] = a;
        else parent_[a] = b;
    }

private:
    std::vector<std::uint32_t> parent_;
};

/// Offsets (dx, dy, dz) of the already-visited half of the neighbourhood in x-fastest scan order.
std::vector<std::array<long, 3>> backwardNeighbours(Connectivity c)
{
    if (c == Connectivity::Face6) return {{-1, 0, 0}, {0, -1, 0}, {0, 0, -1}};
    std::vector<std::array<long, 3>> out;
    for (long dz = -1; dz <= 0; ++dz)
        for (long dy = -1; dy <= 1; ++dy)
            for (long dx = -1; dx <= 1; ++dx) {
                if (dz == 0 && (dy > 0 || (dy == 0 && dx >= 0))) continue;
                out.push_back({dx, dy, dz});
            }
    return out;
}

/// Connected components of voxels for which `member(value)` holds, linking neighbours with equal value.
/// Returns the root of each voxel's component (max uint32 for non-members).
template <typename Member>
std::vector<std::uint32_t> components(const Image& image, Connectivity c, Member&& member, std::stop_token stop)
{
    const auto px = image.pixels<std::uint8_t>();
    const long nx = static_cast<long>(image.size()[0]), ny = static_cast<long>(image.size()[1]),
               nz = static_cast<long>(image.size()[2]);
    const std::size_t n = px.size();
    if (n >= std::numeric_limits<std::uint32_t>::max()) throw InvalidArgument("Label map too large for cleanup.");
    UnionFind uf(n);
    const auto offsets = backwardNeighbours(c);
    for (long z = 0; z < nz; ++z) {
        throwIfStopped(stop);
        for (long y = 0; y < ny; ++y)
            for (long x = 0; x < nx; ++x) {
                const std::size_t i = static_cast<std::size_t>(x + nx * (y + ny * z));
                const std::uint8_t v = px[i];
                if (!member(v)) continue;
                for (const auto& o : offsets) {
                    const long X = x + o[0], Y = y + o[1], Z = z + o[2];
                    if (X < 0 || Y < 0 || Z < 0 || X >= nx || Y >= ny) continue;
                    const std::size_t j = static_cast<std::size_t>(X + nx * (Y + ny * Z));
                    if (px[j] == v) uf.unite(static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j));
                }
            }
    }
    std::vector<std::uint32_t> root(n, std::numeric_limits<std::uint32_t>::max());
    for (std::size_t i = 0; i < n; ++i)
        if (member(px[i])) root[i] = uf.find(static_cast<std::uint32_t>(i));
    return root;
}

constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max();

/// The labels options.labels selects (empty: every non-zero label), as a lookup by value.
std::array<bool, 256> selectedLabels(const Image& image, const CleanupOptions& options, const char* who)
{
    if (image.pixelType() != PixelType::UInt8) throw InvalidArgument(std::string(who) + " needs a uint8 label map.");
    std::array<bool, 256> selected{};
    if (options.labels.empty()) {
        selected.fill(true);
        selected[0] = false;
    } else {
        for (int id : options.labels)
            if (id > 0 && id < 256) selected[static_cast<std::size_t>(id)] = true;
    }
    return selected;
}

/// The selected labels' connected components: each voxel's root, per label the counts and the root of its largest
/// component (the lowest root among equally large ones).
struct FoundComponents {
    std::vector<std::uint32_t> root;
    std::map<int, LabelComponents> perLabel;
    std::array<std::uint32_t, 256> largestRoot{};
    std::unordered_map<std::uint32_t, std::size_t> size; ///< voxels per component root
};

FoundComponents findComponents(const Image& image, Connectivity connectivity, const std::array<bool, 256>& selected,
                               std::stop_token stop)
{
    const auto px = image.pixels<std::uint8_t>();
    FoundComponents found;
    found.root = components(image, connectivity, [&](std::uint8_t v) { return selected[v]; }, stop);
    auto& size = found.size;
    for (std::uint32_t r : found.root)
        if (r != none) ++size[r];
    std::array<std::size_t, 256> largestSize{};
    for (const auto& [r, s] : size) {
        const std::uint8_t v = px[r];
        auto& c = found.perLabel[v];
        ++c.components;
        c.voxels += s;
        c.largest = std::max(c.largest, s);
        if (s > largestSize[v] || (s == largestSize[v] && r < found.largestRoot[v])) {
            largestSize[v] = s;
            found.largestRoot[v] = r;
        }
    }
    return found;
}

/// Sets to background every voxel of a label for which `which` holds that is not in the component `keep` names.
template <typename Which>
std::size_t removeOthers(std::span<std::uint8_t> px, const std::vector<std::uint32_t>& root,
                         const std::array<std::uint32_t, 256>& keep, Which&& which)
{
    std::size_t removed = 0;
    for (std::size_t i = 0; i < px.size(); ++i)
        if (root[i] != none && which(px[i]) && root[i] != keep[px[i]]) {
            px[i] = 0;
            ++removed;
        }
    return removed;
}

/// For the labels anchored on `anchor` (CleanupOptions::anchors): the component with the most voxels within the
/// anchor's distance of the anchor label, as the labels stand now (ties: the larger, then the lower root); labels
/// with no component that close keep `keep`'s choice (the largest).
void chooseAnchored(const Image& image, int anchor, const std::vector<CleanupOptions::Anchor>& group,
                    const FoundComponents& found, std::array<std::uint32_t, 256>& keep, std::stop_token stop)
{
    const auto px = image.pixels<std::uint8_t>();
    if (std::find(px.begin(), px.end(), static_cast<std::uint8_t>(anchor)) == px.end()) return;
    std::array<double, 256> limit2{};
    limit2.fill(-1.0);
    double grow = 0;
    for (const auto& a : group) {
        limit2[static_cast<std::size_t>(a.label)] = a.withinMm * a.withinMm;
        grow = std::max(grow, a.withinMm);
    }
    // The anchored labels' bounding box grown by the largest distance: every anchor voxel that close is inside.
    const auto& s = image.size();
    std::array<long, 3> lo{long(s[0]), long(s[1]), long(s[2])}, hi{-1, -1, -1};
    for (std::size_t n = 0, k = 0; k < s[2]; ++k)
        for (std::size_t j = 0; j < s[1]; ++j)
            for (std::size_t i = 0; i < s[0]; ++i, ++n) {
                if (limit2[px[n]] < 0) continue;
                lo = {std::min(lo[0], long(i)), std::min(lo[1], long(j)), std::min(lo[2], long(k))};
                hi = {std::max(hi[0], long(i)), std::max(hi[1], long(j)), std::max(hi[2], long(k))};
            }
    if (hi[0] < 0) return;
    detail::BinaryVolume box;
    box.spacing = image.spacing();
    for (std::size_t a = 0; a < 3; ++a) {
        const long g = static_cast<long>(std::ceil(grow / image.spacing()[a])) + 1;
        box.offset[a] = std::max(0L, lo[a] - g);
        box.size[a] = std::min(long(s[a]) - 1, hi[a] + g) - box.offset[a] + 1;
    }
    box.inside.resize(static_cast<std::size_t>(box.size[0] * box.size[1] * box.size[2]));
    const auto at = [&](long x, long y, long z) {
        return image.linearIndex(std::size_t(x + box.offset[0]), std::size_t(y + box.offset[1]),
                                 std::size_t(z + box.offset[2]));
    };
    for (long z = 0; z < box.size[2]; ++z)
        for (long y = 0; y < box.size[1]; ++y)
            for (long x = 0; x < box.size[0]; ++x) box.inside[box.index(x, y, z)] = px[at(x, y, z)] == anchor ? 0 : 1;
    const auto field = detail::distanceToBackground(box, stop);
    std::unordered_map<std::uint32_t, std::size_t> near; // per component root: voxels close to the anchor
    for (long z = 0; z < box.size[2]; ++z) {
        throwIfStopped(stop);
        for (long y = 0; y < box.size[1]; ++y)
            for (long x = 0; x < box.size[0]; ++x) {
                const std::size_t n = at(x, y, z);
                const double l2 = limit2[px[n]];
                if (l2 >= 0 && found.root[n] != none && field.dist2[box.index(x, y, z)] <= l2) ++near[found.root[n]];
            }
    }
    std::array<std::size_t, 256> bestNear{};
    for (const auto& [r, count] : near) {
        const std::uint8_t v = px[r];
        const std::uint32_t cur = keep[v];
        const std::size_t curSize = found.size.at(cur), size = found.size.at(r);
        if (count > bestNear[v] || (count == bestNear[v] && (size > curSize || (size == curSize && r < cur)))) {
            bestNear[v] = count;
            keep[v] = r;
        }
    }
}

} // namespace

std::map<int, LabelComponents> countLabelComponents(const LabelMap& labels, const CleanupOptions& options,
                                                    std::stop_token stop)
{
    const Image& image = labels.image();
    const auto selected = selectedLabels(image, options, "countLabelComponents");
    auto perLabel = findComponents(image, options.connectivity, selected, stop).perLabel;
    for (auto& [v, c] : perLabel) c.kept = c.largest;
    return perLabel;
}

CleanupReport cleanupLabels(LabelMap& labels, const CleanupOptions& options, std::stop_token stop,
                            const ProgressFn& progress)
{
    CleanupReport report;
    Image& image = labels.image();
    const auto selected = selectedLabels(image, options, "cleanupLabels");
    auto px = image.pixels<std::uint8_t>();

    if (options.keepLargestComponent) {
        reportProgress(progress, 0.0, "Connected components");
        const auto found = findComponents(image, options.connectivity, selected, stop);
        auto keep = found.largestRoot;
        // Labels anchored on another are chosen after the others are clean (their anchor included), grouped by
        // anchor so that each anchor's distance field is computed once.
        std::array<bool, 256> anchored{};
        std::map<int, std::vector<CleanupOptions::Anchor>> byAnchor;
        for (const auto& a : options.anchors) {
            if (a.label <= 0 || a.label > 255 || a.anchor <= 0 || a.anchor > 255 || a.label == a.anchor ||
                !(a.withinMm >= 0) || !selected[static_cast<std::size_t>(a.label)])
                throw InvalidArgument("cleanupLabels: invalid anchor " + std::to_string(a.label) + " on " +
                                      std::to_string(a.anchor) + ".");
            anchored[static_cast<std::size_t>(a.label)] = true;
            byAnchor[a.anchor].push_back(a);
        }
        report.voxelsRemoved += removeOthers(px, found.root, keep, [&](std::uint8_t v) { return !anchored[v]; });
        for (const auto& [anchor, group] : byAnchor) chooseAnchored(image, anchor, group, found, keep, stop);
        report.voxelsRemoved += removeOthers(px, found.root, keep, [&](std::uint8_t v) { return anchored[v]; });
        report.components = found.perLabel;
        for (auto& [v, c] : report.components) c.kept = found.size.at(keep[static_cast<std::size_t>(v)]);
    }
    throwIfStopped(stop);

    if (options.fillHoles) {
        reportProgress(progress, 0.5, "Filling holes");
        const Connectivity bg =
            options.connectivity == Connectivity::Full26 ? Connectivity::Face6 : Connectivity::Full26;
        const auto root = components(image, bg, [](std::uint8_t v) { return v == 0; }, stop);
        // Per pocket: the single enclosing label, or 0 if it touches the border or several labels.
        constexpr int kUnset = -1, kInvalid = -2;
        std::unordered_map<std::uint32_t, int> enclosing;
        const long nx = static_cast<long>(image.size()[0]), ny = static_cast<long>(image.size()[1]),
                   nz = static_cast<long>(image.size()[2]);
        std::vector<std::array<long, 3>> nb;
        for (const auto& o : backwardNeighbours(bg)) {
            nb.push_back(o);
            nb.push_back({-o[0], -o[1], -o[2]});
        }
        for (long z = 0; z < nz; ++z) {
            throwIfStopped(stop);
            for (long y = 0; y < ny; ++y)
                for (long x = 0; x < nx; ++x) {
                    const std::size_t i = static_cast<std::size_t>(x + nx * (y + ny * z));
                    if (root[i] == none) continue;
                    auto [it, inserted] = enclosing.try_emplace(root[i], kUnset);
                    int& e = it->second;
                    if (e == kInvalid) continue;
                    if (x == 0 || y == 0 || z == 0 || x == nx - 1 || y == ny - 1 || z == nz - 1) {
                        e = kInvalid;
                        continue;
                    }
                    for (const auto& o : nb) {
                        const std::uint8_t v = px[static_cast<std::size_t>(x + o[0] + nx * (y + o[1] + ny * (z + o[2])))];
                        if (v == 0) continue;
                        if (!selected[v] || (e != kUnset && e != v)) {
                            e = kInvalid;
                            break;
                        }
                        e = v;
                    }
                }
        }
        for (std::size_t i = 0; i < px.size(); ++i) {
            if (root[i] == none) continue;
            const int e = enclosing[root[i]];
            if (e > 0) {
                px[i] = static_cast<std::uint8_t>(e);
                ++report.voxelsFilled;
            }
        }
    }
    reportProgress(progress, 1.0, "Cleanup done");
    return report;
}

} // namespace strata::quant

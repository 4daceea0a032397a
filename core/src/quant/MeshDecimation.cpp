#include "strata/quant/MeshDecimation.h"

#include "strata/Error.h"
#include "strata/Progress.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <unordered_map>

namespace strata::quant {
namespace {

Mesh cluster(const Mesh& mesh, double cell, const std::array<double, 3>& lo)
{
    Mesh out;
    out.scalarName = mesh.scalarName;
    const bool withScalars = mesh.scalars.size() == mesh.vertices.size() && !mesh.scalars.empty();
    std::unordered_map<std::uint64_t, std::uint32_t> cellIndex;
    std::vector<std::uint32_t> map(mesh.vertices.size());
    std::vector<std::array<double, 4>> sums;
    std::vector<std::uint32_t> counts;
    for (std::size_t v = 0; v < mesh.vertices.size(); ++v) {
        std::uint64_t key = 0;
        for (int a = 0; a < 3; ++a)
            key = key * 2097152u + static_cast<std::uint64_t>(std::floor((mesh.vertices[v][static_cast<std::size_t>(a)] - lo[static_cast<std::size_t>(a)]) / cell)) % 2097152u;
        auto [it, inserted] = cellIndex.try_emplace(key, static_cast<std::uint32_t>(sums.size()));
        if (inserted) {
            sums.push_back({0, 0, 0, 0});
            counts.push_back(0);
        }
        auto& s = sums[it->second];
        for (int a = 0; a < 3; ++a) s[static_cast<std::size_t>(a)] += mesh.vertices[v][static_cast<std::size_t>(a)];
        if (withScalars) s[3] += mesh.scalars[v];
        ++counts[it->second];
        map[v] = it->second;
    }
    out.vertices.resize(sums.size());
    if (withScalars) out.scalars.resize(sums.size());
    for (std::size_t c = 0; c < sums.size(); ++c) {
        for (int a = 0; a < 3; ++a)
            out.vertices[c][static_cast<std::size_t>(a)] = static_cast<float>(sums[c][static_cast<std::size_t>(a)] / counts[c]);
        if (withScalars) out.scalars[c] = static_cast<float>(sums[c][3] / counts[c]);
    }
    std::set<std::array<std::uint32_t, 3>> seen;
    for (const auto& t : mesh.triangles) {
        std::array<std::uint32_t, 3> m{map[t[0]], map[t[1]], map[t[2]]};
        if (m[0] == m[1] || m[1] == m[2] || m[0] == m[2]) continue;
        // Canonical rotation (keeps orientation) to drop exact duplicates.
        const auto r = static_cast<std::size_t>(std::min_element(m.begin(), m.end()) - m.begin());
        const std::array<std::uint32_t, 3> key{m[r], m[(r + 1) % 3], m[(r + 2) % 3]};
        if (seen.insert(key).second) out.triangles.push_back(m);
    }
    // Drop vertices no triangle uses.
    std::vector<std::uint32_t> remap(out.vertices.size(), UINT32_MAX);
    Mesh compact;
    compact.scalarName = out.scalarName;
    for (auto& t : out.triangles)
        for (auto& v : t) {
            if (remap[v] == UINT32_MAX) {
                remap[v] = static_cast<std::uint32_t>(compact.vertices.size());
                compact.vertices.push_back(out.vertices[v]);
                if (withScalars) compact.scalars.push_back(out.scalars[v]);
            }
            v = remap[v];
        }
    compact.triangles = std::move(out.triangles);
    return compact;
}

} // namespace

Mesh decimate(const Mesh& mesh, double targetReduction, std::stop_token stop)
{
    if (targetReduction < 0.0 || targetReduction >= 1.0) throw InvalidArgument("Decimation target reduction must be in [0, 1).");
    if (mesh.triangles.empty() || targetReduction == 0.0) return mesh;
    std::array<double, 3> lo{1e30, 1e30, 1e30}, hi{-1e30, -1e30, -1e30};
    for (const auto& v : mesh.vertices)
        for (std::size_t a = 0; a < 3; ++a) {
            lo[a] = std::min(lo[a], static_cast<double>(v[a]));
            hi[a] = std::max(hi[a], static_cast<double>(v[a]));
        }
    const double target = (1.0 - targetReduction) * static_cast<double>(mesh.triangles.size());
    // Mean edge length as the starting scale.
    double edge = 0;
    for (const auto& t : mesh.triangles) {
        const auto& a = mesh.vertices[t[0]];
        const auto& b = mesh.vertices[t[1]];
        edge += std::sqrt(std::pow(a[0] - b[0], 2) + std::pow(a[1] - b[1], 2) + std::pow(a[2] - b[2], 2));
    }
    edge /= static_cast<double>(mesh.triangles.size());
    double small = edge * 0.5, large = edge * 2.0;
    while (cluster(mesh, large, lo).triangles.size() > target && large < 1e4) {
        throwIfStopped(stop);
        large *= 2.0;
    }
    Mesh best = cluster(mesh, large, lo);
    for (int i = 0; i < 12; ++i) {
        throwIfStopped(stop);
        const double mid = 0.5 * (small + large);
        Mesh m = cluster(mesh, mid, lo);
        if (static_cast<double>(m.triangles.size()) > target) small = mid;
        else {
            large = mid;
            best = std::move(m);
        }
    }
    return best;
}

} // namespace strata::quant

#include "strata/quant/MeshSmoothing.h"

#include "strata/Progress.h"

#include <algorithm>

namespace strata::quant {
namespace {

/// Vertex neighbours (unique) in compressed rows.
struct Adjacency {
    std::vector<std::uint32_t> start, neighbours;
};

Adjacency adjacency(const Mesh& mesh)
{
    const std::size_t n = mesh.vertices.size();
    std::vector<std::vector<std::uint32_t>> lists(n);
    for (const auto& t : mesh.triangles)
        for (int e = 0; e < 3; ++e) {
            const auto a = t[static_cast<std::size_t>(e)], b = t[static_cast<std::size_t>((e + 1) % 3)];
            lists[a].push_back(b);
            lists[b].push_back(a);
        }
    Adjacency adj;
    adj.start.reserve(n + 1);
    adj.start.push_back(0);
    for (auto& l : lists) {
        std::sort(l.begin(), l.end());
        l.erase(std::unique(l.begin(), l.end()), l.end());
        adj.neighbours.insert(adj.neighbours.end(), l.begin(), l.end());
        adj.start.push_back(static_cast<std::uint32_t>(adj.neighbours.size()));
    }
    return adj;
}

void pass(Mesh& mesh, const Adjacency& adj, double factor, std::vector<std::array<float, 3>>& scratch)
{
    scratch = mesh.vertices;
    for (std::size_t v = 0; v < mesh.vertices.size(); ++v) {
        const auto b = adj.start[v], e = adj.start[v + 1];
        if (b == e) continue;
        double m[3] = {0, 0, 0};
        for (auto k = b; k < e; ++k)
            for (int a = 0; a < 3; ++a) m[a] += scratch[adj.neighbours[k]][static_cast<std::size_t>(a)];
        for (int a = 0; a < 3; ++a) {
            const double p = scratch[v][static_cast<std::size_t>(a)];
            mesh.vertices[v][static_cast<std::size_t>(a)] = static_cast<float>(p + factor * (m[a] / (e - b) - p));
        }
    }
}

} // namespace

void laplacianSmooth(Mesh& mesh, int iterations, double lambda, std::stop_token stop)
{
    const Adjacency adj = adjacency(mesh);
    std::vector<std::array<float, 3>> scratch;
    for (int i = 0; i < iterations; ++i) {
        throwIfStopped(stop);
        pass(mesh, adj, lambda, scratch);
    }
}

void taubinSmooth(Mesh& mesh, int iterations, double lambda, double mu, std::stop_token stop)
{
    const Adjacency adj = adjacency(mesh);
    std::vector<std::array<float, 3>> scratch;
    for (int i = 0; i < iterations; ++i) {
        throwIfStopped(stop);
        pass(mesh, adj, lambda, scratch);
        pass(mesh, adj, mu, scratch);
    }
}

} // namespace strata::quant

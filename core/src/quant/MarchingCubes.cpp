#include "strata/quant/MarchingCubes.h"

#include "quant/BinaryVolume.h"
#include "strata/Error.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace strata::quant {
namespace {

struct Edge {
    int c0, c1, axis;
};

/// The 256 cases: for each, closed loops of cube edge indices (each loop becomes a triangle fan).
struct CaseTable {
    std::array<Edge, 12> edges{};
    std::array<std::vector<std::vector<int>>, 256> loops;
    /// Per loop: true if every fan from one of its vertices would add a chord between two vertices on one
    /// cube face (the neighbouring cube could add the same chord); such a loop is fanned from its centroid.
    std::array<std::vector<bool>, 256> needsCentre;

    CaseTable()
    {
        int e = 0;
        std::array<std::array<int, 8>, 8> edgeOf{};
        for (int a = 0; a < 3; ++a)
            for (int c = 0; c < 8; ++c)
                if (!(c & (1 << a))) {
                    edges[static_cast<std::size_t>(e)] = {c, c | (1 << a), a};
                    edgeOf[static_cast<std::size_t>(c)][static_cast<std::size_t>(c | (1 << a))] = e;
                    edgeOf[static_cast<std::size_t>(c | (1 << a))][static_cast<std::size_t>(c)] = e;
                    ++e;
                }
        // Faces, corners counter-clockwise seen from outside the cube.
        std::array<std::array<int, 4>, 6> faces{};
        int f = 0;
        for (int a = 0; a < 3; ++a)
            for (int s = 0; s < 2; ++s) {
                const int u = (a + 1) % 3, v = (a + 2) % 3;
                const std::array<std::array<int, 2>, 4> uv{{{0, 0}, {1, 0}, {1, 1}, {0, 1}}};
                std::array<int, 4> order{};
                for (int i = 0; i < 4; ++i)
                    order[static_cast<std::size_t>(i)] = (s << a) | (uv[static_cast<std::size_t>(i)][0] << u) |
                                                         (uv[static_cast<std::size_t>(i)][1] << v);
                if (s == 0) std::reverse(order.begin(), order.end());
                faces[static_cast<std::size_t>(f++)] = order;
            }
        for (int cs = 0; cs < 256; ++cs) {
            const auto inside = [cs](int c) { return ((cs >> c) & 1) != 0; };
            std::array<int, 12> next;
            next.fill(-1);
            for (const auto& face : faces) {
                std::vector<std::pair<int, bool>> crossings; // (edge, in -> out)
                for (int i = 0; i < 4; ++i) {
                    const int a = face[static_cast<std::size_t>(i)], b = face[static_cast<std::size_t>((i + 1) % 4)];
                    if (inside(a) != inside(b))
                        crossings.emplace_back(edgeOf[static_cast<std::size_t>(a)][static_cast<std::size_t>(b)], inside(a));
                }
                const std::size_t m = crossings.size();
                for (std::size_t k = 0; k < m; ++k)
                    if (crossings[k].second)
                        next[static_cast<std::size_t>(crossings[k].first)] = crossings[(k + m - 1) % m].first;
            }
            std::array<bool, 12> used{};
            for (int start = 0; start < 12; ++start) {
                if (next[static_cast<std::size_t>(start)] < 0 || used[static_cast<std::size_t>(start)]) continue;
                std::vector<int> loop;
                for (int cur = start; !used[static_cast<std::size_t>(cur)]; cur = next[static_cast<std::size_t>(cur)]) {
                    used[static_cast<std::size_t>(cur)] = true;
                    loop.push_back(cur);
                }
                const auto sameFace = [&](int a, int b) {
                    const Edge& ea = edges[static_cast<std::size_t>(a)];
                    const Edge& eb = edges[static_cast<std::size_t>(b)];
                    for (int ax = 0; ax < 3; ++ax)
                        if (ax != ea.axis && ax != eb.axis && ((ea.c0 >> ax) & 1) == ((eb.c0 >> ax) & 1)) return true;
                    return false;
                };
                const std::size_t m = loop.size();
                bool centre = m > 3;
                for (std::size_t r = 0; r < m && centre; ++r) {
                    bool ok = true;
                    for (std::size_t k = 2; k + 1 < m && ok; ++k) ok = !sameFace(loop[r], loop[(r + k) % m]);
                    if (ok) {
                        std::rotate(loop.begin(), loop.begin() + static_cast<long>(r), loop.end());
                        centre = false;
                    }
                }
                loops[static_cast<std::size_t>(cs)].push_back(std::move(loop));
                needsCentre[static_cast<std::size_t>(cs)].push_back(centre);
            }
        }
    }
};

const CaseTable& caseTable()
{
    static const CaseTable table;
    return table;
}

void gaussian1D(std::vector<float>& data, const std::array<long, 3>& size, int axis, double sigmaVoxels,
                std::stop_token stop)
{
    const long radius = static_cast<long>(std::ceil(3.0 * sigmaVoxels));
    if (radius < 1) return;
    std::vector<double> kernel(static_cast<std::size_t>(2 * radius + 1));
    double sum = 0;
    for (long i = -radius; i <= radius; ++i)
        sum += kernel[static_cast<std::size_t>(i + radius)] = std::exp(-0.5 * static_cast<double>(i * i) / (sigmaVoxels * sigmaVoxels));
    for (auto& k : kernel) k /= sum;
    const long n = size[static_cast<std::size_t>(axis)];
    const std::size_t stride = axis == 0 ? 1 : (axis == 1 ? static_cast<std::size_t>(size[0]) : static_cast<std::size_t>(size[0] * size[1]));
    const std::array<long, 3> other = axis == 0 ? std::array<long, 3>{1, 2, 0} : (axis == 1 ? std::array<long, 3>{0, 2, 1} : std::array<long, 3>{0, 1, 2});
    std::vector<float> line(static_cast<std::size_t>(n));
    for (long b = 0; b < size[static_cast<std::size_t>(other[1])]; ++b) {
        throwIfStopped(stop);
        for (long a = 0; a < size[static_cast<std::size_t>(other[0])]; ++a) {
            std::array<long, 3> p{0, 0, 0};
            p[static_cast<std::size_t>(other[0])] = a;
            p[static_cast<std::size_t>(other[1])] = b;
            const std::size_t start = static_cast<std::size_t>(p[0] + size[0] * (p[1] + size[1] * p[2]));
            for (long i = 0; i < n; ++i) line[static_cast<std::size_t>(i)] = data[start + static_cast<std::size_t>(i) * stride];
            for (long i = 0; i < n; ++i) {
                double acc = 0;
                for (long k = -radius; k <= radius; ++k) {
                    const long j = i + k;
                    if (j >= 0 && j < n) acc += kernel[static_cast<std::size_t>(k + radius)] * line[static_cast<std::size_t>(j)];
                }
                data[start + static_cast<std::size_t>(i) * stride] = static_cast<float>(acc);
            }
        }
    }
}

} // namespace

Mesh marchingCubes(const Image& mask, const SurfaceOptions& options, std::stop_token stop, const ProgressFn& progress)
{
    Mesh mesh;
    const detail::BinaryVolume bin = detail::cutOutMask(mask);
    if (bin.foregroundCount == 0) return mesh;
    reportProgress(progress, 0.0, "Marching cubes");

    // Scalar field on the box, widened for the smoothing kernel.
    std::array<long, 3> margin{0, 0, 0};
    for (int a = 0; a < 3; ++a)
        margin[static_cast<std::size_t>(a)] =
            options.presmoothSigmaMm > 0 ? static_cast<long>(std::ceil(3.0 * options.presmoothSigmaMm / bin.spacing[static_cast<std::size_t>(a)])) : 0;
    std::array<long, 3> size{}, offset{};
    for (std::size_t a = 0; a < 3; ++a) {
        size[a] = bin.size[a] + 2 * margin[a];
        offset[a] = bin.offset[a] - margin[a];
    }
    std::vector<float> field(static_cast<std::size_t>(size[0] * size[1] * size[2]), 0.0f);
    for (long z = 0; z < bin.size[2]; ++z)
        for (long y = 0; y < bin.size[1]; ++y)
            for (long x = 0; x < bin.size[0]; ++x)
                field[static_cast<std::size_t>(x + margin[0] + size[0] * (y + margin[1] + size[1] * (z + margin[2])))] =
                    bin.inside[bin.index(x, y, z)] ? 1.0f : 0.0f;
    if (options.presmoothSigmaMm > 0)
        for (int a = 0; a < 3; ++a)
            gaussian1D(field, size, a, options.presmoothSigmaMm / bin.spacing[static_cast<std::size_t>(a)], stop);

    const CaseTable& table = caseTable();
    constexpr float iso = 0.5f;
    std::unordered_map<std::uint64_t, std::uint32_t> vertexOfEdge;
    const auto at = [&](long x, long y, long z) { return field[static_cast<std::size_t>(x + size[0] * (y + size[1] * z))]; };
    const bool mirrored = [&] {
        const Mat3& d = mask.direction();
        return d[0] * (d[4] * d[8] - d[5] * d[7]) - d[1] * (d[3] * d[8] - d[5] * d[6]) + d[2] * (d[3] * d[7] - d[4] * d[6]) < 0;
    }();
    for (long z = 0; z + 1 < size[2]; ++z) {
        throwIfStopped(stop);
        if (z % 16 == 0) reportProgress(progress, static_cast<double>(z) / static_cast<double>(size[2]), "Marching cubes");
        for (long y = 0; y + 1 < size[1]; ++y)
            for (long x = 0; x + 1 < size[0]; ++x) {
                std::array<float, 8> f{};
                int cs = 0;
                for (int c = 0; c < 8; ++c) {
                    f[static_cast<std::size_t>(c)] = at(x + (c & 1), y + ((c >> 1) & 1), z + ((c >> 2) & 1));
                    if (f[static_cast<std::size_t>(c)] > iso) cs |= 1 << c;
                }
                if (cs == 0 || cs == 255) continue;
                std::array<std::uint32_t, 12> ids{};
                const auto& loops = table.loops[static_cast<std::size_t>(cs)];
                for (std::size_t l = 0; l < loops.size(); ++l) {
                    const auto& loop = loops[l];
                    for (int e : loop) {
                        const Edge& ed = table.edges[static_cast<std::size_t>(e)];
                        const long x0 = x + (ed.c0 & 1), y0 = y + ((ed.c0 >> 1) & 1), z0 = z + ((ed.c0 >> 2) & 1);
                        const std::uint64_t key =
                            static_cast<std::uint64_t>(x0 + size[0] * (y0 + size[1] * z0)) * 3u + static_cast<std::uint64_t>(ed.axis);
                        auto [it, inserted] = vertexOfEdge.try_emplace(key, static_cast<std::uint32_t>(mesh.vertices.size()));
                        if (inserted) {
                            const float f0 = f[static_cast<std::size_t>(ed.c0)], f1 = f[static_cast<std::size_t>(ed.c1)];
                            const double t = std::clamp(static_cast<double>((iso - f0) / (f1 - f0)), 0.0, 1.0);
                            Vec3 idx{static_cast<double>(x0 + offset[0]), static_cast<double>(y0 + offset[1]),
                                     static_cast<double>(z0 + offset[2])};
                            idx[static_cast<std::size_t>(ed.axis)] += t;
                            const Vec3 w = mask.indexToWorld(idx);
                            mesh.vertices.push_back({static_cast<float>(w[0]), static_cast<float>(w[1]), static_cast<float>(w[2])});
                        }
                        ids[static_cast<std::size_t>(e)] = it->second;
                    }
                    const auto emit = [&](std::uint32_t a, std::uint32_t b, std::uint32_t c) {
                        std::array<std::uint32_t, 3> tri{a, b, c};
                        if (!mirrored) std::swap(tri[1], tri[2]);
                        mesh.triangles.push_back(tri);
                    };
                    if (table.needsCentre[static_cast<std::size_t>(cs)][l]) {
                        std::array<double, 3> c{0, 0, 0};
                        for (int e : loop)
                            for (std::size_t a = 0; a < 3; ++a) c[a] += mesh.vertices[ids[static_cast<std::size_t>(e)]][a];
                        const auto centre = static_cast<std::uint32_t>(mesh.vertices.size());
                        const double n = static_cast<double>(loop.size());
                        mesh.vertices.push_back({static_cast<float>(c[0] / n), static_cast<float>(c[1] / n), static_cast<float>(c[2] / n)});
                        for (std::size_t k = 0; k < loop.size(); ++k)
                            emit(centre, ids[static_cast<std::size_t>(loop[k])], ids[static_cast<std::size_t>(loop[(k + 1) % loop.size()])]);
                    } else {
                        for (std::size_t k = 1; k + 1 < loop.size(); ++k)
                            emit(ids[static_cast<std::size_t>(loop[0])], ids[static_cast<std::size_t>(loop[k])],
                                 ids[static_cast<std::size_t>(loop[k + 1])]);
                    }
                }
            }
    }
    reportProgress(progress, 1.0, "Marching cubes done");
    return mesh;
}

} // namespace strata::quant

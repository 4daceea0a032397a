#include "strata/quant/Mesh.h"

#include <cmath>
#include <unordered_map>

namespace strata::quant {
namespace {

std::array<double, 3> vec(const std::array<float, 3>& a) { return {a[0], a[1], a[2]}; }

} // namespace

double surfaceArea(const Mesh& mesh)
{
    double area = 0;
    for (const auto& t : mesh.triangles) {
        const auto a = vec(mesh.vertices[t[0]]), b = vec(mesh.vertices[t[1]]), c = vec(mesh.vertices[t[2]]);
        const double ux = b[0] - a[0], uy = b[1] - a[1], uz = b[2] - a[2];
        const double vx = c[0] - a[0], vy = c[1] - a[1], vz = c[2] - a[2];
        const double nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
        area += 0.5 * std::sqrt(nx * nx + ny * ny + nz * nz);
    }
    return area;
}

double enclosedVolume(const Mesh& mesh)
{
    double v = 0;
    for (const auto& t : mesh.triangles) {
        const auto a = vec(mesh.vertices[t[0]]), b = vec(mesh.vertices[t[1]]), c = vec(mesh.vertices[t[2]]);
        v += a[0] * (b[1] * c[2] - b[2] * c[1]) - a[1] * (b[0] * c[2] - b[2] * c[0]) + a[2] * (b[0] * c[1] - b[1] * c[0]);
    }
    return v / 6.0;
}

bool isWatertight(const Mesh& mesh)
{
    if (mesh.triangles.empty()) return false;
    // Each directed edge must occur once, and its reverse once.
    std::unordered_map<std::uint64_t, int> directed;
    directed.reserve(mesh.triangles.size() * 3);
    for (const auto& t : mesh.triangles)
        for (int e = 0; e < 3; ++e) {
            const std::uint64_t a = t[static_cast<std::size_t>(e)], b = t[static_cast<std::size_t>((e + 1) % 3)];
            if (a == b) return false;
            if (++directed[(a << 32) | b] > 1) return false;
        }
    for (const auto& [key, count] : directed) {
        const std::uint64_t a = key >> 32, b = key & 0xffffffffu;
        if (!directed.count((b << 32) | a)) return false;
    }
    return true;
}

} // namespace strata::quant

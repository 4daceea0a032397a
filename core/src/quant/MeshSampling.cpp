#include "strata/quant/MeshSampling.h"

#include "strata/Error.h"

#include <cmath>
#include <limits>

namespace strata::quant {

void sampleVertexScalars(Mesh& mesh, const Image& image, const std::string& name, int searchRadiusVoxels)
{
    if (image.pixelType() != PixelType::Float32) throw InvalidArgument("sampleVertexScalars needs a Float32 image.");
    const auto px = image.pixels<float>();
    const long nx = static_cast<long>(image.size()[0]), ny = static_cast<long>(image.size()[1]),
               nz = static_cast<long>(image.size()[2]);
    const auto value = [&](long x, long y, long z) {
        if (x < 0 || y < 0 || z < 0 || x >= nx || y >= ny || z >= nz) return 0.0f;
        return px[static_cast<std::size_t>(x + nx * (y + ny * z))];
    };
    const Vec3& h = image.spacing();
    mesh.scalarName = name;
    mesh.scalars.assign(mesh.vertices.size(), 0.0f);
    for (std::size_t v = 0; v < mesh.vertices.size(); ++v) {
        const Vec3 idx = image.worldToIndex({mesh.vertices[v][0], mesh.vertices[v][1], mesh.vertices[v][2]});
        const long x0 = static_cast<long>(std::floor(idx[0])), y0 = static_cast<long>(std::floor(idx[1])),
                   z0 = static_cast<long>(std::floor(idx[2]));
        const double fx = idx[0] - static_cast<double>(x0), fy = idx[1] - static_cast<double>(y0), fz = idx[2] - static_cast<double>(z0);
        double sum = 0, weight = 0;
        for (int c = 0; c < 8; ++c) {
            const int dx = c & 1, dy = (c >> 1) & 1, dz = (c >> 2) & 1;
            const float s = value(x0 + dx, y0 + dy, z0 + dz);
            if (s <= 0.0f) continue;
            const double w = (dx ? fx : 1 - fx) * (dy ? fy : 1 - fy) * (dz ? fz : 1 - fz) + 1e-9;
            sum += w * s;
            weight += w;
        }
        if (weight > 0) {
            mesh.scalars[v] = static_cast<float>(sum / weight);
            continue;
        }
        double best = std::numeric_limits<double>::infinity();
        const long r = searchRadiusVoxels;
        for (long dz = -r; dz <= r + 1; ++dz)
            for (long dy = -r; dy <= r + 1; ++dy)
                for (long dx = -r; dx <= r + 1; ++dx) {
                    const float s = value(x0 + dx, y0 + dy, z0 + dz);
                    if (s <= 0.0f) continue;
                    const double ex = (static_cast<double>(x0 + dx) - idx[0]) * h[0], ey = (static_cast<double>(y0 + dy) - idx[1]) * h[1],
                                 ez = (static_cast<double>(z0 + dz) - idx[2]) * h[2];
                    const double d2 = ex * ex + ey * ey + ez * ez;
                    if (d2 < best) {
                        best = d2;
                        mesh.scalars[v] = s;
                    }
                }
    }
}

} // namespace strata::quant

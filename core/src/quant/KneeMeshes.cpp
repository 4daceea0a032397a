#include "strata/quant/KneeMeshes.h"

#include "strata/phantom/KneeLabels.h"
#include "strata/quant/MarchingCubes.h"
#include "strata/quant/MeshDecimation.h"
#include "strata/quant/MeshIO.h"
#include "strata/quant/MeshSampling.h"
#include "strata/quant/MeshSmoothing.h"

#include <algorithm>
#include <array>
#include <vector>

namespace strata::quant {

namespace {

bool isCartilage(int id)
{
    return id == phantom::FemoralCartilage || id == phantom::MedialTibialCartilage ||
           id == phantom::LateralTibialCartilage || id == phantom::PatellarCartilage;
}

/// The bounding box of one label, padded by `pad` voxels, as a cropped binary mask with matching geometry.
Image croppedMask(const LabelMap& labels, int id, std::size_t pad)
{
    const Image& img = labels.image();
    const auto& sz = img.size();
    std::array<std::size_t, 3> lo{sz[0], sz[1], sz[2]}, hi{0, 0, 0};
    const auto px = labels.ids();
    for (std::size_t k = 0; k < sz[2]; ++k)
        for (std::size_t j = 0; j < sz[1]; ++j)
            for (std::size_t i = 0; i < sz[0]; ++i)
                if (px[img.linearIndex(i, j, k)] == id) {
                    const std::array<std::size_t, 3> p{i, j, k};
                    for (int a = 0; a < 3; ++a) {
                        lo[a] = std::min(lo[a], p[a]);
                        hi[a] = std::max(hi[a], p[a]);
                    }
                }
    for (int a = 0; a < 3; ++a) {
        lo[a] = lo[a] > pad ? lo[a] - pad : 0;
        hi[a] = std::min(sz[a] - 1, hi[a] + pad);
    }
    Image mask({hi[0] - lo[0] + 1, hi[1] - lo[1] + 1, hi[2] - lo[2] + 1}, PixelType::UInt8, 1);
    mask.copyGeometryFrom(img);
    mask.setOrigin(img.indexToWorld({double(lo[0]), double(lo[1]), double(lo[2])}));
    auto m = mask.pixels<std::uint8_t>();
    const auto& ms = mask.size();
    for (std::size_t k = 0; k < ms[2]; ++k)
        for (std::size_t j = 0; j < ms[1]; ++j)
            for (std::size_t i = 0; i < ms[0]; ++i)
                m[mask.linearIndex(i, j, k)] = px[img.linearIndex(i + lo[0], j + lo[1], k + lo[2])] == id ? 1 : 0;
    return mask;
}

} // namespace

void writeKneeMeshes(const LabelMap& labels, const Image& thickness, const std::filesystem::path& dir,
                     const KneeMeshOptions& options, std::stop_token stop, const ProgressFn& progress)
{
    std::filesystem::create_directories(dir);
    std::vector<int> ids;
    for (const auto& [id, n] : labels.voxelCounts()) {
        if (id != 0) {
            ids.push_back(id);
        }
    }
    for (std::size_t n = 0; n < ids.size(); ++n) {
        throwIfStopped(stop);
        const int id = ids[n];
        const auto info = labels.table().find(id);
        const std::string name = info ? info->name : "label_" + std::to_string(id);
        reportProgress(progress, static_cast<double>(n) / static_cast<double>(ids.size()), "Surface of " + name);
        SurfaceOptions surface;
        surface.presmoothSigmaMm = options.presmoothSigmaMm;
        Mesh mesh = marchingCubes(croppedMask(labels, id, 2), surface, stop);
        if (mesh.empty()) {
            continue;
        }
        if (options.smoothingIterations > 0) {
            taubinSmooth(mesh, options.smoothingIterations, 0.5, -0.53, stop);
        }
        if (options.reduction > 0.0) {
            mesh = decimate(mesh, options.reduction, stop);
        }
        if (isCartilage(id)) {
            sampleVertexScalars(mesh, thickness, "thickness_mm");
        }
        for (const char* ext : {".stl", ".ply", ".vtp"}) {
            writeMesh(mesh, dir / (name + ext));
        }
    }
    reportProgress(progress, 1.0, "Surfaces written");
}

} // namespace strata::quant

#pragma once

#include "strata/Image.h"
#include "strata/LabelMap.h"
#include "strata/Progress.h"

#include <filesystem>
#include <stop_token>

namespace strata::quant {

/// How writeKneeMeshes builds each surface: mask pre-smoothing, Taubin smoothing and decimation.
struct KneeMeshOptions {
    int smoothingIterations{15}; ///< Taubin passes
    double reduction{0.5};       ///< fraction of triangles removed by decimation
    double presmoothSigmaMm{0.3}; ///< mask blur before contouring (sub-voxel vertices)
};

/// One surface per structure present in `labels` (every non-zero label), smoothed and decimated, in world
/// coordinates (mm); cartilage meshes carry "thickness_mm" per vertex sampled from `thickness`. Writes
/// <name>.stl, <name>.ply and <name>.vtp for each structure into `dir` (created).
void writeKneeMeshes(const LabelMap& labels, const Image& thickness, const std::filesystem::path& dir,
                     const KneeMeshOptions& options = {}, std::stop_token stop = {}, const ProgressFn& progress = {});

} // namespace strata::quant

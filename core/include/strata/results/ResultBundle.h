#pragma once

#include "strata/Image.h"
#include "strata/LabelMap.h"
#include "strata/quant/Mesh.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

namespace strata::results {

/// One surface mesh of a bundle (read from its PLY, which carries the per-vertex thickness).
struct BundleMesh {
    std::string name;  ///< structure name, e.g. "femoral_cartilage"
    int labelId{0};    ///< id in the segmentation's label table (0 if unknown)
    std::shared_ptr<const quant::Mesh> mesh;
};

/// A result bundle written by an Executor, read back: provenance, metrics, segmentation, thickness map
/// and meshes (each optional except provenance.json).
struct ResultBundle {
    std::filesystem::path dir;
    nlohmann::json provenance;
    nlohmann::json metrics;  ///< empty object when the pipeline wrote none
    std::shared_ptr<const LabelMap> segmentation;
    std::shared_ptr<const Image> thickness;
    std::vector<BundleMesh> meshes;

    /// The first input's path as recorded in provenance.json (may no longer exist).
    [[nodiscard]] std::filesystem::path inputPath() const;

    /// True when `dir` holds a provenance.json.
    [[nodiscard]] static bool isBundle(const std::filesystem::path& dir);
    /// Reads a bundle. Throws IoError when provenance.json is missing or a file is unreadable, Cancelled
    /// when `stop` is requested.
    [[nodiscard]] static ResultBundle load(const std::filesystem::path& dir, std::stop_token stop = {},
                                           bool withMeshes = true);
};

} // namespace strata::results

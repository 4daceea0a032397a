#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace strata::pipeline {

/// One tunable parameter of a pipeline. type: "int", "number", "bool", "string" or "choice".
struct ParameterSpec {
    std::string name;
    std::string type;
    nlohmann::json defaultValue;
    std::optional<double> min;
    std::optional<double> max;
    std::vector<std::string> choices;
    std::string help;
};

/// An input or output of a pipeline. type: "image", "images" (an image file, a multi-page TIFF or a folder of
/// images: batch pipelines such as OCR and classification), "labelmap", "mesh", "table", "report", "file".
/// An optional input (manifest key "optional": true) may be left out of a run; when given it is checked and
/// recorded with its sha256 like the others.
struct PortSpec {
    std::string name;
    std::string type;
    std::string help;
    bool optional{false};
};

/// One stage; weight is its share of the run's expected time (for the overall progress bar).
struct StageSpec {
    std::string id;
    std::string title;
    double weight{1.0};
};

/// What the GUI, the CLI and the server show about a pipeline: read from and written to JSON.
struct PipelineManifest {
    std::string id;
    std::string title;
    std::string description;
    std::string version;
    std::vector<PortSpec> inputs;
    std::vector<PortSpec> outputs;
    std::vector<ParameterSpec> parameters;
    std::vector<StageSpec> stages;
    /// Peak working memory of a run per input voxel (pixel), in bytes: servers refuse at submission an input
    /// whose estimate (voxels x this) exceeds their per-job memory budget. Manifest key memory_bytes_per_voxel.
    double memoryBytesPerVoxel{16};

    [[nodiscard]] static PipelineManifest fromJson(const nlohmann::json& json);
    [[nodiscard]] nlohmann::json toJson() const;

    /// Defaults filled in, types and ranges checked. Throws InvalidArgument naming the offending parameter.
    nlohmann::json resolveParameters(const nlohmann::json& given) const;
};

} // namespace strata::pipeline

#pragma once

#include "strata/AnatomicalFrame.h"
#include "strata/Image.h"
#include "strata/LabelTable.h"

#include <nlohmann/json.hpp>

#include <array>
#include <filesystem>
#include <string>

namespace strata::inference {

/// How the model expects intensities: "zscore" over voxels above `threshold` after clipping to the
/// [clipLow, clipHigh] percentiles, or "none".
struct Normalisation {
    std::string method{"zscore"};
    double clipLowPercentile{0.5};
    double clipHighPercentile{99.5};
};

/// The anatomical frame a volumetric model was trained in (card field "canonical_frame":
/// {"axes": ["P", "I", "R"], "side": "right"}). Inputs are brought into it before inference.
struct CanonicalFrame {
    AnatomicalFrame axes;      ///< patient direction of the model's index axes x, y, z (default P, I, R)
    std::string side{"right"}; ///< "right", "left", or "" when the anatomy has no side
    bool declared{false};      ///< false: the card has no canonical_frame and the defaults (Strata's phantoms) apply
};

/// models/<name>/model.json: everything needed to run a TorchScript model correctly, and its checksum.
struct ModelCard {
    std::string name;
    std::string version;
    std::string task; ///< "segmentation3d", "classification", "super-resolution", ...
    int inputChannels{1};
    int outputChannels{1};
    Vec3 targetSpacing{1, 1, 1};              ///< mm, x/y/z of the volume the model sees
    std::array<int, 3> patchSize{64, 64, 64}; ///< voxels x, y, z
    std::array<int, 2> inputSize{0, 0};        ///< 2D models: width, height of the image the model sees
    Normalisation normalisation;
    CanonicalFrame canonicalFrame;
    LabelTable labels;
    std::string modelFile{"model.pt"};
    std::string sha256;
    nlohmann::json accuracy;
    nlohmann::json training;
    nlohmann::json raw; ///< the whole card as read

    /// Reads and validates model.json (clear errors naming the field). modelDir holds model.json + model file.
    [[nodiscard]] static ModelCard load(const std::filesystem::path& modelDir);
    [[nodiscard]] static ModelCard fromJson(const nlohmann::json& json);
    [[nodiscard]] std::filesystem::path modelPath(const std::filesystem::path& modelDir) const
    {
        return modelDir / modelFile;
    }
    /// Throws IoError if the model file's sha256 differs from the card's.
    void verifyChecksum(const std::filesystem::path& modelDir) const;
};

} // namespace strata::inference

#pragma once

#include "strata/Image.h"
#include "strata/LabelMap.h"
#include "strata/phantom/KneePhantomParams.h"

#include <nlohmann/json.hpp>

#include <filesystem>

namespace strata::phantom {

/// One generated case: the MR-like image (uint16), its exact label map and the ground truth.
struct KneePhantomCase {
    Image image;
    LabelMap labels;
    /// {"volumes_mm3": {name: v}, "thickness_mm": {plate: {mean,min,max,...}}, "parameters": {...}, ...}
    nlohmann::json groundTruth;
};

/// Generates a synthetic sagittal 3D DESS-like knee MRI with exact ground truth.
/// Same params (incl. seed) give bit-identical output, whatever the thread count.
[[nodiscard]] KneePhantomCase generateKneePhantom(const KneePhantomParams& params);

/// Writes image.nii.gz, labels.nii.gz (+ labels.nii.gz.labels.json) and ground_truth.json into dir.
void writeKneePhantom(const KneePhantomCase& c, const std::filesystem::path& dir);

} // namespace strata::phantom

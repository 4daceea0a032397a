#pragma once

#include "strata/Image.h"

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace strata::knee {

/// The knee bundle's 2D thickness maps (maps/<plate>.png): the tibial plates seen from above, the patellar
/// cartilage from behind, the femoral cartilage unrolled around the condyles (left to right: patient right to
/// left; top to bottom: trochlea, distal, posterior condyles). One colour scale for all four, so they compare.
/// Plates with no cartilage get no map. Returns each map's caption and file name (relative to `bundleDir`).
std::vector<std::pair<std::string, std::string>> writeKneeThicknessMaps(const Image& labels, const Image& thickness,
                                                                        const std::filesystem::path& bundleDir);

/// The same four views of a thickness change map (follow-up - baseline, mm, on the baseline grid; results::
/// ThicknessChangeMap): maps/<plate>_change.png, the mean change per pixel, blue loss - white - red gain on one
/// symmetric scale (at most +-3 mm). `labels`: the baseline segmentation.
std::vector<std::pair<std::string, std::string>> writeKneeChangeMaps(const Image& labels, const Image& change,
                                                                     const std::filesystem::path& dir);

} // namespace strata::knee

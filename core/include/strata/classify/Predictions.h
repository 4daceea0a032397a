#pragma once

#include "strata/classify/TopLabels.h"

#include <filesystem>
#include <string>
#include <vector>

namespace strata::classify {

/// One image of a classification result: its most probable labels, best first, or why it could not be read.
struct ImageResult {
    std::string source;
    std::vector<LabelScore> top; ///< best first; empty when `error` is set
    std::string error;           ///< set when the image could not be read (on_error = skip)
};

/// The images of a classification bundle's predictions.json (as ClassifyWriteStage writes it), checked: every entry
/// has a source, and either an error or at least one label with a probability in [0, 1]. Throws IoError naming the
/// file and the entry for anything else (a damaged bundle, or one downloaded from a server that is not Strata's).
[[nodiscard]] std::vector<ImageResult> readPredictions(const std::filesystem::path& bundleDir);

} // namespace strata::classify

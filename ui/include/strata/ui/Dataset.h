#pragma once

#include <strata/core/Image.h>
#include <strata/core/LabelMap.h>

#include <filesystem>
#include <memory>
#include <string>

namespace strata::ui {

/// One loaded image (immutable once loaded) with its optional label-map overlay and display statistics.
struct Dataset {
    std::string name;
    std::filesystem::path path;
    std::shared_ptr<const Image> image;
    std::shared_ptr<const LabelMap> labels;   ///< may be null
    std::filesystem::path labelsPath;
    double minValue{0.0}, maxValue{1.0};
    double p1{0.0}, p99{1.0};                 ///< 1st and 99th percentiles (auto window)

    /// "256 x 256 x 160", "0.40 x 0.40 x 0.70 mm", "uint16"
    std::string sizeText() const;
    std::string spacingText() const;
    std::string typeText() const;
};

} // namespace strata::ui

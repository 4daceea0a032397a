#pragma once

#include "strata/Image.h"
#include "strata/LabelMap.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace strata::results {

/// Distribution of the thickness values (mm) of one cartilage plate: counts[i] voxels in
/// [binWidth * i, binWidth * (i + 1)).
struct ThicknessHistogram {
    std::string name;
    int labelId{0};
    double binWidth{0.2};
    std::vector<std::size_t> counts;
    /// The plate's colour in the segmentation's label table (alpha 0: none), so every plot of it (GUI, PDF, HTML)
    /// draws it alike.
    std::array<std::uint8_t, 4> rgba{0, 0, 0, 0};

    [[nodiscard]] std::size_t total() const;
};

/// One histogram per label whose name ends in "_cartilage", over the voxels with thickness > 0. Every
/// histogram has the same bins (up to the largest thickness found). `thickness` must share the
/// segmentation's grid; otherwise the result is empty.
[[nodiscard]] std::vector<ThicknessHistogram> thicknessHistograms(const LabelMap& segmentation, const Image& thickness,
                                                                  double binWidth = 0.2);

} // namespace strata::results

#pragma once

#include "strata/LabelMap.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace strata::quant {

/// The size of one label of a label map (labelVolumes).
struct LabelVolume {
    int id{0};
    std::string name; ///< From the label table, or "label <id>" when the table does not name it.
    std::size_t voxels{0};
    double mm3{0};
};

/// Volume of every label present in the map (background 0 excluded), ordered by id.
[[nodiscard]] std::vector<LabelVolume> labelVolumes(const LabelMap& labels);

/// {name: mm3} of labelVolumes(), the shape of the phantom ground truth's "volumes_mm3".
[[nodiscard]] nlohmann::json volumesJson(const std::vector<LabelVolume>& volumes);

} // namespace strata::quant

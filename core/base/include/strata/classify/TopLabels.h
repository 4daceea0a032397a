#pragma once

#include <span>
#include <string>
#include <vector>

namespace strata::classify {

/// One label and its probability.
struct LabelScore {
    int id{0};
    std::string label;
    float probability{0};
};

/// The k most probable labels, best first (ties: lower id first). names[i] names class i.
[[nodiscard]] std::vector<LabelScore> topLabels(std::span<const float> probabilities,
                                                const std::vector<std::string>& names, int k);

} // namespace strata::classify

#include "strata/classify/TopLabels.h"

#include <algorithm>
#include <numeric>

namespace strata::classify {

std::vector<LabelScore> topLabels(std::span<const float> probabilities, const std::vector<std::string>& names, int k)
{
    std::vector<int> order(probabilities.size());
    std::iota(order.begin(), order.end(), 0);
    const auto n = static_cast<std::size_t>(std::clamp<int>(k, 0, static_cast<int>(order.size())));
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(n), order.end(), [&](int a, int b) {
        return probabilities[a] > probabilities[b] || (probabilities[a] == probabilities[b] && a < b);
    });
    std::vector<LabelScore> out;
    for (std::size_t i = 0; i < n; ++i) {
        const int id = order[i];
        out.push_back({id, id < static_cast<int>(names.size()) ? names[id] : "class " + std::to_string(id),
                       probabilities[static_cast<std::size_t>(id)]});
    }
    return out;
}

} // namespace strata::classify

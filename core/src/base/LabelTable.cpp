#include "strata/LabelTable.h"

#include "strata/Error.h"

#include <algorithm>

namespace strata {

LabelTable::LabelTable(std::vector<LabelInfo> labels)
{
    for (auto& l : labels) {
        add(std::move(l));
    }
}

void LabelTable::add(LabelInfo label)
{
    if (label.id < 0 || label.id > 255) {
        throw InvalidArgument("Label id " + std::to_string(label.id) + " is outside 0..255.");
    }
    auto it = std::lower_bound(labels_.begin(), labels_.end(), label.id,
                               [](const LabelInfo& l, int id) { return l.id < id; });
    if (it != labels_.end() && it->id == label.id) {
        *it = std::move(label);
    } else {
        labels_.insert(it, std::move(label));
    }
}

std::optional<LabelInfo> LabelTable::find(int id) const
{
    for (const auto& l : labels_) {
        if (l.id == id) {
            return l;
        }
    }
    return std::nullopt;
}

std::optional<LabelInfo> LabelTable::findByName(const std::string& name) const
{
    for (const auto& l : labels_) {
        if (l.name == name) {
            return l;
        }
    }
    return std::nullopt;
}

} // namespace strata

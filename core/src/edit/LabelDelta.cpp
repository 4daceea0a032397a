#include "strata/edit/LabelDelta.h"

#include "strata/Error.h"

namespace strata::edit {

void LabelDelta::undo(LabelMap& labels) const
{
    auto ids = labels.ids();
    for (std::size_t i = 0; i < indices.size(); ++i) ids[indices[i]] = before[i];
}

void LabelDelta::redo(LabelMap& labels) const
{
    auto ids = labels.ids();
    for (const auto i : indices) ids[i] = value;
}

std::map<int, std::int64_t> LabelDelta::changePerLabel() const
{
    std::map<int, std::int64_t> change;
    for (const auto b : before) {
        if (b == value) continue;
        --change[b];
        ++change[value];
    }
    std::erase_if(change, [](const auto& kv) { return kv.second == 0; });
    return change;
}

LabelDelta LabelDelta::between(std::span<const std::uint8_t> beforeIds, std::span<const std::uint8_t> afterIds, std::uint8_t value)
{
    if (beforeIds.size() != afterIds.size()) throw InvalidArgument("A label edit compares two label maps of one size.");
    LabelDelta d;
    d.value = value;
    for (std::size_t i = 0; i < beforeIds.size(); ++i) {
        if (beforeIds[i] == afterIds[i]) continue;
        if (afterIds[i] != value) throw InvalidArgument("A label edit sets every changed voxel to one value.");
        d.indices.push_back(static_cast<std::uint32_t>(i));
        d.before.push_back(beforeIds[i]);
    }
    return d;
}

} // namespace strata::edit

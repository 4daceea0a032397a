#pragma once

#include "strata/LabelMap.h"

#include <cstdint>
#include <map>
#include <vector>

namespace strata::edit {

/// One edit of a label map, as only what it changed: the voxels (linear indices, ascending) with their ids before;
/// every one of them has `value` after. 5 bytes per changed voxel.
struct LabelDelta {
    std::vector<std::uint32_t> indices;
    std::vector<std::uint8_t> before;
    std::uint8_t value{0};

    [[nodiscard]] bool empty() const { return indices.empty(); }
    [[nodiscard]] std::size_t size() const { return indices.size(); }
    /// Memory it holds (bytes).
    [[nodiscard]] std::size_t bytes() const { return indices.capacity() * sizeof(std::uint32_t) + before.capacity(); }
    /// Puts the ids back as they were before / as they were after.
    void undo(LabelMap& labels) const;
    void redo(LabelMap& labels) const;
    /// Voxels each label gained (> 0) or lost (< 0) by the edit; labels it did not change are absent.
    [[nodiscard]] std::map<int, std::int64_t> changePerLabel() const;
    /// The delta between two versions of the same ids (same size): voxels where they differ, all set to `value`
    /// in `after` (throws InvalidArgument when a changed voxel of `after` holds another value).
    [[nodiscard]] static LabelDelta between(std::span<const std::uint8_t> beforeIds,
                                            std::span<const std::uint8_t> afterIds, std::uint8_t value);
};

} // namespace strata::edit

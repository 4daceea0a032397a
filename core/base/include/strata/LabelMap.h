#pragma once

#include "strata/Image.h"
#include "strata/LabelTable.h"

#include <map>

namespace strata {

/// A segmentation: a uint8 image of label ids plus the table naming them.
class LabelMap {
public:
    LabelMap() = default;
    LabelMap(Image labels, LabelTable table);
    /// An all-zero label map on the geometry of `reference`.
    [[nodiscard]] static LabelMap like(const Image& reference, LabelTable table);

    [[nodiscard]] const Image& image() const { return image_; }
    [[nodiscard]] Image& image() { return image_; }
    [[nodiscard]] const LabelTable& table() const { return table_; }
    void setTable(LabelTable table) { table_ = std::move(table); }

    [[nodiscard]] std::span<std::uint8_t> ids() { return image_.pixels<std::uint8_t>(); }
    [[nodiscard]] std::span<const std::uint8_t> ids() const { return image_.pixels<std::uint8_t>(); }

    /// Number of voxels per label id (ids with no voxel are absent).
    [[nodiscard]] std::map<int, std::size_t> voxelCounts() const;
    /// Volume in mm^3 per label id.
    [[nodiscard]] std::map<int, double> volumesMm3() const;

private:
    Image image_;
    LabelTable table_;
};

} // namespace strata

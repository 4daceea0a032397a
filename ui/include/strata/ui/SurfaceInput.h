#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace strata::ui {

/// Plain data for one label's surface: a padded binary mask (1 inside) of the label's bounding box, possibly
/// subsampled. Voxel (x, y, z) of the mask is at label-map index offset + step * (x, y, z).
struct LabelSurfaceInput {
    int id{0};
    std::array<int, 3> offset{0, 0, 0};
    std::array<int, 3> dims{0, 0, 0};
    int step{1};
    std::size_t voxelCount{0}; ///< voxels of the label at full resolution
    std::vector<std::uint8_t> mask;
};

/// Everything the 3D view needs to build the label surfaces on the GUI thread, prepared off it.
struct SurfaceInput {
    /// Row-major 4x4: label-map continuous index -> world (LPS, mm).
    std::array<double, 16> indexToWorld{1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
    std::vector<LabelSurfaceInput> labels;
};

} // namespace strata::ui

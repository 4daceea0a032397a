#pragma once

#include <cstdint>
#include <vector>

namespace strata::inference {

/// Start offsets of tiles of length `tile` covering [0, length) with the given overlap; the last tile
/// ends exactly at length. length must be >= tile.
std::vector<std::int64_t> tileStarts(std::int64_t length, std::int64_t tile, double overlap);

/// Tile sizes (x, y, z; multiples of 8, at most the padded volume) and per-axis start offsets for a volume,
/// chosen to minimise the voxels evaluated (tiles x tile size) with each tile at most maxTileVoxels and
/// neighbouring tiles sharing at least minOverlap voxels. Bounded tiles keep memory flat and let a
/// cancel take effect between tiles.
struct TilePlan {
    std::int64_t tile[3]{0, 0, 0};
    std::vector<std::int64_t> starts[3];
    std::size_t count() const { return starts[0].size() * starts[1].size() * starts[2].size(); }
};
TilePlan planTiles(const std::int64_t size[3], std::int64_t maxTileVoxels, std::int64_t minOverlap);

/// Gaussian importance weights of a tile (z, y, x order, x fastest), sigma = tile/8, peak 1, floor 1e-3.
std::vector<float> gaussianTileWeights(std::int64_t tz, std::int64_t ty, std::int64_t tx);

} // namespace strata::inference

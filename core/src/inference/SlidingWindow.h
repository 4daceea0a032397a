#pragma once

#include <cstdint>
#include <vector>

namespace strata::inference {

/// Start offsets of tiles of length `tile` covering [0, length) with the given overlap; the last tile
/// ends exactly at length. length must be >= tile.
std::vector<std::int64_t> tileStarts(std::int64_t length, std::int64_t tile, double overlap);

/// Gaussian importance weights of a tile (z, y, x order, x fastest), sigma = tile/8, peak 1, floor 1e-3.
std::vector<float> gaussianTileWeights(std::int64_t tz, std::int64_t ty, std::int64_t tx);

} // namespace strata::inference

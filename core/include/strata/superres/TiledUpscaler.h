#pragma once

#include "strata/Progress.h"
#include "strata/superres/RgbPlanes.h"

#include <cstdint>
#include <functional>
#include <span>
#include <stop_token>
#include <vector>

namespace strata::inference {
class SuperResolutionModel;
}

namespace strata::superres {

/// How images are cut into tiles for the network (input pixels).
struct TileOptions {
    int tile{256};   ///< largest tile side; 0 = whole image in one pass
    int overlap{0};  ///< pixels shared by neighbouring tiles; raised to 2 x receptive radius + 8 when smaller
    int batch{4};    ///< tiles per forward pass (tiles of several video frames share a pass)
};

/// The upscaling of one tile batch: count tiles of w x h planar RGB -> count x 3 x sh x sw. The model's
/// upscale() in production; tests pass a function.
using UpscaleFn = std::function<std::vector<float>(std::span<const float> planar, int count, int w, int h)>;

/// Upscales images of any size in bounded memory: overlapping tiles, each run through the network, blended
/// with weights that are zero within the receptive radius of a tile's inner edge and ramp linearly across the
/// rest of the overlap. So every output pixel only takes values computed with full context, and the result
/// equals a single whole-image pass up to float rounding: no seams.
class TiledUpscaler {
public:
    TiledUpscaler(UpscaleFn fn, int scale, int receptiveRadius, TileOptions options);
    /// Convenience: the model's upscale() with stop.
    TiledUpscaler(inference::SuperResolutionModel& model, TileOptions options, std::stop_token stop);

    /// Upscales images of one size together (tiles of all of them are batched). progress: fraction of tiles.
    /// Throws Cancelled (between batches, or from the model within a pass) when stop is requested.
    [[nodiscard]] std::vector<RgbPlanes> upscale(const std::vector<RgbPlanes>& images, std::stop_token stop,
                                                 const ProgressFn& progress = {}) const;
    [[nodiscard]] RgbPlanes upscale(const RgbPlanes& image, std::stop_token stop,
                                    const ProgressFn& progress = {}) const;

    /// The overlap actually used (options.overlap raised to what the receptive radius needs).
    [[nodiscard]] int effectiveOverlap() const;
    /// Tile length along an axis: at most options.tile, shrunk to the least that covers the axis with as few tiles.
    [[nodiscard]] int tileLength(int length) const;
    /// Tile start offsets along one axis of the given length (evenly spread, neighbours share >= the overlap).
    [[nodiscard]] std::vector<std::int64_t> starts(int length) const;
    [[nodiscard]] int scale() const { return scale_; }

private:
    UpscaleFn fn_;
    int scale_;
    int radius_;
    TileOptions options_;
};

} // namespace strata::superres

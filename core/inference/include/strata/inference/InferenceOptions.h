#pragma once

#include <string>

namespace strata::inference {

/// Where and how a model runs.
struct InferenceOptions {
    std::string device{"auto"}; ///< "auto" (CUDA when available, else CPU), "cpu" or "cuda"
    int threads{0};             ///< CPU intra-op threads; 0 = all cores
    bool halfPrecision{true};   ///< fp16 on CUDA (ignored on CPU)
    int tileBatch{1};           ///< sliding-window tiles per forward pass
    long long maxTileVoxels{0}; ///< largest tile; 0 = SegmentationModel::kDefaultMaxTileVoxels (16M)
    int minOverlapVoxels{16};   ///< voxels shared by neighbouring tiles (blended with Gaussian weights)
};

} // namespace strata::inference

#pragma once

#include <string>

namespace strata::inference {

/// Where and how a model runs.
struct InferenceOptions {
    std::string device{"auto"}; ///< "auto" (CUDA when available, else CPU), "cpu" or "cuda"
    int threads{0};             ///< CPU intra-op threads; 0 = all cores
    bool halfPrecision{true};   ///< fp16 on CUDA (ignored on CPU)
    int tileBatch{2};           ///< sliding-window tiles per forward pass
    double overlap{0.5};        ///< fraction of a tile shared with its neighbour, 0..0.9
};

} // namespace strata::inference

#pragma once

#include "strata/Image.h"

namespace strata {

/// Exact percentile (0..100) of the first component, with linear interpolation between order statistics
/// (numpy's default), so C++ and the Python training scripts normalise identically.
[[nodiscard]] double exactPercentile(const Image& image, double p);

/// Clips intensities to the [lowPercentile, highPercentile] range, then z-scores them (mean 0, SD 1 over
/// the clipped volume). Returns Float32 on the same geometry. This is the knee model's normalisation.
[[nodiscard]] Image clipAndZScore(const Image& image, double lowPercentile, double highPercentile);

} // namespace strata

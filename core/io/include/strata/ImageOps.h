#pragma once

#include "strata/Image.h"

namespace strata {

/// Slice k (along the third index axis) as a 2D image with the same in-plane geometry.
[[nodiscard]] Image extractSlice(const Image& image, std::size_t k);

/// Maps the [lowPercentile, highPercentile] intensity range linearly to 0..255 (uint8), per component.
[[nodiscard]] Image rescaleToUInt8(const Image& image, double lowPercentile = 0.5, double highPercentile = 99.5);

/// Value at the given percentile (0..100) of all components, by sampling at most ~1M values.
[[nodiscard]] double percentile(const Image& image, double p);

} // namespace strata

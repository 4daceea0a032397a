#pragma once

#include "strata/Image.h"

#include <string>
#include <vector>

namespace strata::classify {

/// Turns any 2D image into what a small classifier expects: 8-bit grey, fitted into width x height keeping
/// its aspect ratio (padded with the background), intensities in [0, 1]. polarity "light-on-dark" (Fashion-
/// MNIST: a light object on black) inverts images whose border is light (a photo on a white background);
/// "as-is" never inverts. Throws InvalidArgument for empty images, volumes or a bad size.
[[nodiscard]] std::vector<float> classifierInput(const Image& image, int width, int height,
                                                 const std::string& polarity);

} // namespace strata::classify

#pragma once

#include "strata/Image.h"

#include <opencv2/core.hpp>

namespace strata::io {

/// An 8-bit grey cv::Mat of a 2D image (colour is converted, other depths are scaled to 0..255).
cv::Mat toGreyMat(const Image& image);
/// An 8-bit grey strata::Image of a cv::Mat (CV_8UC1).
Image fromGreyMat(const cv::Mat& grey);

} // namespace strata::io

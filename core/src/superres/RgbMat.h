#pragma once

#include "strata/superres/RgbPlanes.h"

#include <opencv2/core.hpp>

namespace strata::superres {

/// RgbPlanes <-> OpenCV 8-bit BGR (CV_8UC3) and float (CV_32FC3, [0, 1], BGR) images.
RgbPlanes fromBgr8(const cv::Mat& bgr);
cv::Mat toBgr8(const RgbPlanes& image);
cv::Mat toBgrFloat(const RgbPlanes& image);
RgbPlanes fromBgrFloat(const cv::Mat& bgr);

} // namespace strata::superres

#pragma once

#include "strata/Image.h"

#include <string>

namespace strata::ocr {

/// A page prepared for OCR: 8-bit grey, deskewed, optionally binarised.
struct CleanedPage {
    Image image;            ///< same size as the input
    double deskewDegrees{0}; ///< rotation applied (degrees, counter-clockwise positive as in OpenCV), 0 when none
};

/// Document clean-up in OpenCV: converts to 8-bit grey, estimates the text skew (projection profiles over
/// +-15 degrees on a reduced copy) and rotates it away when deskew is set, then binarises ("otsu",
/// "adaptive" or "none"). Throws InvalidArgument for empty images or an unknown method.
[[nodiscard]] CleanedPage cleanUpDocument(const Image& page, bool deskew, const std::string& binarise);

/// The estimated skew of a text page in degrees (what cleanUpDocument would remove).
[[nodiscard]] double estimateSkewDegrees(const Image& grey8);

} // namespace strata::ocr

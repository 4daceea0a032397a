#pragma once

#include "strata/Image.h"

#include <opencv2/core.hpp>

#include <string>

namespace strata::ocr {

/// A page made ready for Tesseract, copying only what changes: when the page is 8-bit grey and needs no
/// rotation or binarisation, `grey` shares the pixels of the Image it was made from (which must outlive it).
struct PreparedPage {
    cv::Mat grey;            ///< CV_8UC1, the size of the page
    double deskewDegrees{0}; ///< rotation applied (degrees, counter-clockwise positive as in OpenCV), 0 when none
    cv::Rect textArea;       ///< the part of `grey` that holds ink, with a white margin; the whole page when unclear
};

/// The page as 8-bit grey: its own pixels, not copied, when it already is (the page must then outlive the Mat),
/// else converted (colour to grey, other depths scaled to 0..255).
cv::Mat greyView(const Image& page);

/// The smallest integer factor that brings the page's long side to at most `longSide` pixels.
int reductionFactor(const cv::Mat& grey, int longSide);

/// The page reduced by an integer factor (area averaging; the last rows and columns that do not fill a whole
/// factor are left out). The page itself for factor 1.
cv::Mat reducedCopy(const cv::Mat& grey, int factor);

/// Converts to 8-bit grey, removes the skew when `deskew` is set (see estimateSkew), binarises ("otsu",
/// "adaptive" or "none") and finds the text area. Throws InvalidArgument for empty images or an unknown method.
PreparedPage preparePage(const Image& page, bool deskew, const std::string& binarise);

/// The skew of dark text on a light 8-bit grey page in degrees (counter-clockwise positive), from projection
/// profiles over +-15 degrees on a copy about 1000 pixels wide; 0 for blank pages and light text on dark.
double estimateSkew(const cv::Mat& grey);

/// The bounding box of everything darker than three quarters of the way from the darkest pixel to the paper,
/// grown by a margin (two min-reductions over the page, no copy). The whole page when it has no clear paper
/// (noise or dark pages) or the box would not save at least a tenth of the page.
cv::Rect findTextArea(const cv::Mat& grey);

} // namespace strata::ocr

#pragma once

#include "strata/Image.h"
#include "strata/ocr/OcrPage.h"

#include <filesystem>

namespace strata::ocr {

/// The longest side of an overlay picture: enough to see which words were doubtful, a tenth of the pixels of a
/// 300 dpi page (the GUI draws the boxes itself over the page or, when the input is gone, over this picture).
inline constexpr int kOverlayLongSide = 1600;

/// Writes `file` (PNG): the page reduced to at most kOverlayLongSide pixels on its long side, in grey, with the
/// word boxes drawn in colour (green confidence >= 80, orange >= 50, red below). Throws IoError when it cannot.
void writeOverlayPicture(const Image& page, const OcrPage& result, const std::filesystem::path& file);

} // namespace strata::ocr

#pragma once

#include "strata/Image.h"
#include "strata/ImageIO.h"

#include <filesystem>

namespace strata::io {

/// PNG, JPEG, TIFF (multi-page TIFF becomes slices) and BMP through OpenCV. Colour is kept as RGB(A).
Image readWithOpenCv(const std::filesystem::path& path, const ReadLimits& limits);
/// 2D images only; PNG/TIFF take uint8 or uint16, JPEG/BMP uint8; 1, 3 (RGB) or 4 (RGBA) components.
void writeWithOpenCv(const Image& image, const std::filesystem::path& path);

} // namespace strata::io

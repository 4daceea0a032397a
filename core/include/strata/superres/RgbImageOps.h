#pragma once

#include "strata/superres/RgbPlanes.h"

#include <cstdint>
#include <filesystem>

namespace strata::superres {

/// Reads a colour image (PNG, JPEG, TIFF, BMP, PNM, WebP; grey is expanded to RGB, alpha dropped). Refuses images
/// over maxPixels from the header before decoding (InvalidArgument naming the limit); IoError for missing,
/// empty (0 bytes) or undecodable files.
[[nodiscard]] RgbPlanes readRgb(const std::filesystem::path& path, std::uint64_t maxPixels);
/// Writes an 8-bit RGB PNG (values clamped to [0, 1] and rounded); IoError naming the file on failure.
void writeRgbPng(const RgbPlanes& image, const std::filesystem::path& path);
/// Bicubic resize (OpenCV INTER_CUBIC, clamped to [0, 1]) to width x height.
[[nodiscard]] RgbPlanes resizeBicubic(const RgbPlanes& image, int width, int height);
/// Area-average downscale by an integer factor (the usual way low-resolution test inputs are made).
[[nodiscard]] RgbPlanes downscaleArea(const RgbPlanes& image, int factor);
/// Rounds to 8 bits and back (what writing a PNG and reading it again gives).
[[nodiscard]] RgbPlanes quantise8(const RgbPlanes& image);

} // namespace strata::superres

#pragma once

#include "strata/superres/RgbPlanes.h"

#include <filesystem>
#include <string>
#include <vector>

namespace strata::test {

/// A synthetic natural-ish RGB test image: smooth multi-scale colour noise, anti-aliased shapes and text.
superres::RgbPlanes syntheticScene(int width, int height, unsigned seed);

/// Centre crops of the PNG photos in the Debian package opencv-doc (empty when it is not installed), size x size.
std::vector<std::pair<std::string, superres::RgbPlanes>> samplePhotos(int size);

/// Writes a small MJPEG AVI of `frames` moving synthetic frames.
void writeTestVideo(const std::filesystem::path& path, int width, int height, int frames);

} // namespace strata::test

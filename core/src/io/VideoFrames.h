#pragma once

#include "strata/Image.h"
#include "strata/ImageIO.h"

#include <filesystem>

namespace strata::io {

/// A video decoded by OpenCV as a stack of RGB uint8 frames: size width x height x frames, frame i = slice i,
/// spacing 1 x 1 x 1 (pixels and frames). Refuses a stack larger than limits.maxBytes (from the frame size and
/// the container's frame count, before decoding it all) and a file with no decodable frame.
Image readVideoFrames(const std::filesystem::path& path, const ReadLimits& limits);

} // namespace strata::io

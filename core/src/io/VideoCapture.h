#pragma once

#include <opencv2/videoio.hpp>

#include <filesystem>

namespace strata::io {

/// Opens a video file for decoding with OpenCV's FFmpeg backend when it has one (what reads files), else with any
/// backend. Letting OpenCV try every backend (GStreamer, image sequences, ...) on a file none can read prints a
/// screen of backend errors to stderr; callers give their own clear error when the capture is not opened.
cv::VideoCapture openVideoFile(const std::filesystem::path& path);

} // namespace strata::io

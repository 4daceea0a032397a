#pragma once

#include <opencv2/videoio.hpp>

#include <filesystem>
#include <string>

namespace strata::io {

/// Opens a video file for decoding with OpenCV's FFmpeg backend when it has one (what reads files), else with any
/// backend. Letting OpenCV try every backend (GStreamer, image sequences, ...) on a file none can read prints a
/// screen of backend errors to stderr; callers give their own clear error when the capture is not opened.
/// A file OpenCV throws on while opening it is returned unopened.
cv::VideoCapture openVideoFile(const std::filesystem::path& path);

/// Reads the next frame into `frame`: false at the end of the stream (or an empty frame). OpenCV throws on some
/// damaged streams (its assertions, e.g. "_step >= minstep" in VideoCapture::retrieve): that is an IoError naming
/// `what` (e.g. "Video 'clip.avi'") and the frame (`index`, 1-based).
bool readVideoFrame(cv::VideoCapture& cap, cv::Mat& frame, const std::string& what, long long index);

} // namespace strata::io

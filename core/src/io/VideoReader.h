#pragma once

#include <opencv2/core/mat.hpp>
#include <opencv2/videoio.hpp>

#include <filesystem>
#include <memory>
#include <string>

namespace strata::io {

class MediaDecoderProcess;
class MediaDecodeStream;

/// Decodes a video file frame by frame with OpenCV's FFmpeg backend - in a strata-media-decode process when there
/// is one (io/MediaDecoderProcess.h: a damaged or hostile file cannot crash or read the memory of the program that
/// asked), else in this process. Either way the same frames, as cv::VideoCapture::read gives them (BGR).
class VideoReader {
public:
    /// Opens `path`; isOpened() says whether it could be (no exception for a file that is not a video).
    explicit VideoReader(const std::filesystem::path& path);
    ~VideoReader();
    VideoReader(const VideoReader&) = delete;
    VideoReader& operator=(const VideoReader&) = delete;

    bool isOpened() const { return opened_; }
    /// What the container says (0 when it does not): frame size, frames per second, frame count.
    int width() const { return width_; }
    int height() const { return height_; }
    double fps() const { return fps_; }
    double frameCount() const { return frameCount_; }
    /// Whether frames are decoded in a separate process.
    bool isolated() const { return static_cast<bool>(process_); }

    /// Reads the next frame into `frame`: false at the end of the stream. A frame that cannot be decoded, or a
    /// decoder that crashed or stalled, is an IoError naming `what` (e.g. "Video 'clip.avi'") and the frame (`index`,
    /// 1-based).
    bool read(cv::Mat& frame, const std::string& what, long long index);

private:
    std::unique_ptr<MediaDecoderProcess> process_;
    std::unique_ptr<MediaDecodeStream> stream_;
    cv::VideoCapture local_;
    bool opened_{false};
    bool ended_{false};
    int width_{0};
    int height_{0};
    double fps_{0};
    double frameCount_{0};
};

} // namespace strata::io

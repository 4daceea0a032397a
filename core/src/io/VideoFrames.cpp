#include "io/VideoFrames.h"

#include "io/VideoReader.h"
#include "strata/Error.h"

#include <opencv2/imgproc.hpp>

#include <cstring>
#include <vector>

namespace strata::io {

Image readVideoFrames(const std::filesystem::path& path, const ReadLimits& limits)
{
    const std::string name = "'" + path.string() + "'";
    VideoReader video(path);
    cv::Mat frame;
    if (!video.isOpened() || !video.read(frame, "Video " + name, 1)) {
        throw IoError("Cannot read " + name + ": not a video OpenCV can decode, or corrupt (no frame could be decoded).");
    }
    const auto frameBytes = static_cast<std::uint64_t>(frame.cols) * static_cast<std::uint64_t>(frame.rows) * 3u;
    const double declared = video.frameCount();
    if (declared > 0 && static_cast<std::uint64_t>(declared) * frameBytes > limits.maxBytes) {
        throw IoError("Cannot read " + name + ": " + std::to_string(static_cast<long long>(declared)) + " frames of " +
                      std::to_string(frame.cols) + " x " + std::to_string(frame.rows) + " need " +
                      std::to_string(static_cast<std::uint64_t>(declared) * frameBytes >> 20) +
                      " MiB, more than the limit of " + std::to_string(limits.maxBytes >> 20) +
                      " MiB. Cut the video, or upscale it with the superres pipeline, which streams frames.");
    }
    const int width = frame.cols, height = frame.rows;
    std::vector<std::uint8_t> data;
    if (declared > 0) data.reserve(static_cast<std::size_t>(declared) * frameBytes);
    std::size_t frames = 0;
    cv::Mat rgb;
    do {
        if (frame.cols != width || frame.rows != height) {
            throw IoError("Cannot read " + name + ": frame " + std::to_string(frames) + " changes size.");
        }
        if ((frames + 1) * frameBytes > limits.maxBytes) {
            throw IoError("Cannot read " + name + ": more than " + std::to_string(limits.maxBytes >> 20) +
                          " MiB of frames (the container did not say how many).");
        }
        if (frame.channels() == 1) cv::cvtColor(frame, rgb, cv::COLOR_GRAY2RGB);
        else if (frame.channels() == 4) cv::cvtColor(frame, rgb, cv::COLOR_BGRA2RGB);
        else cv::cvtColor(frame, rgb, cv::COLOR_BGR2RGB);
        if (rgb.depth() != CV_8U) rgb.convertTo(rgb, CV_8U);
        const std::size_t offset = data.size();
        data.resize(offset + frameBytes);
        for (int y = 0; y < height; ++y)
            std::memcpy(data.data() + offset + static_cast<std::size_t>(y) * static_cast<std::size_t>(width) * 3u,
                        rgb.ptr(y), static_cast<std::size_t>(width) * 3u);
        ++frames;
    } while (video.read(frame, "Video " + name, static_cast<long long>(frames) + 1));

    Image image({static_cast<std::size_t>(width), static_cast<std::size_t>(height), frames}, PixelType::UInt8, 3);
    std::memcpy(image.data(), data.data(), data.size());
    return image;
}

} // namespace strata::io

#include "strata/superres/RgbImageOps.h"

#include "io/ImageHeaderProbe.h"
#include "strata/Error.h"
#include "superres/RgbMat.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cstdio>

namespace strata::superres {

namespace {

std::string megapixels(std::uint64_t pixels)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(pixels) / 1e6);
    return buf;
}

void checkLimit(std::uint64_t w, std::uint64_t h, std::uint64_t maxPixels, const std::filesystem::path& path)
{
    if (w * h > maxPixels) {
        throw InvalidArgument("Image '" + path.filename().string() + "' is " + std::to_string(w) + " x " + std::to_string(h) +
                              " = " + megapixels(w * h) + " megapixels; the limit (parameter max_megapixels) is " +
                              megapixels(maxPixels) + " megapixels.");
    }
}

} // namespace

RgbPlanes readRgb(const std::filesystem::path& path, std::uint64_t maxPixels)
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
        throw IoError("Image '" + path.string() + "' does not exist or is not a file.");
    }
    if (std::filesystem::file_size(path, ec) == 0) {
        throw IoError("Image '" + path.filename().string() + "' is empty (0 bytes).");
    }
    if (const auto dims = io::probeImageDimensions(path)) {
        if (dims->width == 0 || dims->height == 0) {
            throw IoError("Image '" + path.filename().string() + "' is empty (0 pixels).");
        }
        checkLimit(dims->width, dims->height, maxPixels, path);
    }
    cv::Mat bgr = cv::imread(path.string(), cv::IMREAD_COLOR);
    if (bgr.empty()) {
        throw IoError("Image '" + path.filename().string() + "' cannot be decoded (not an image format OpenCV reads, or corrupt).");
    }
    checkLimit(static_cast<std::uint64_t>(bgr.cols), static_cast<std::uint64_t>(bgr.rows), maxPixels, path);
    return fromBgr8(bgr);
}

void writeRgbPng(const RgbPlanes& image, const std::filesystem::path& path)
{
    bool ok = false;
    try {
        ok = cv::imwrite(path.string(), toBgr8(image));
    } catch (const cv::Exception&) {
        ok = false;
    }
    if (!ok) {
        throw IoError("Cannot write '" + path.string() + "'.");
    }
}

RgbPlanes resizeBicubic(const RgbPlanes& image, int width, int height)
{
    cv::Mat out;
    cv::resize(toBgrFloat(image), out, cv::Size(width, height), 0, 0, cv::INTER_CUBIC);
    return fromBgrFloat(out);
}

RgbPlanes downscaleArea(const RgbPlanes& image, int factor)
{
    cv::Mat out;
    cv::resize(toBgrFloat(image), out, cv::Size(image.width / factor, image.height / factor), 0, 0, cv::INTER_AREA);
    return fromBgrFloat(out);
}

RgbPlanes quantise8(const RgbPlanes& image) { return fromBgr8(toBgr8(image)); }

} // namespace strata::superres

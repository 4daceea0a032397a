#include "io/OpenCvImageIO.h"

#include "io/ImageHeaderProbe.h"
#include "io/TextFiles.h"
#include "strata/Error.h"

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cstring>
#include <fstream>
#include <vector>

namespace strata::io {

namespace {

PixelType typeForDepth(int depth, const std::filesystem::path& path)
{
    switch (depth) {
    case CV_8U: return PixelType::UInt8;
    case CV_8S:
    case CV_16S: return PixelType::Int16;
    case CV_16U: return PixelType::UInt16;
    case CV_32S: return PixelType::Int32;
    case CV_32F:
    case CV_64F: return PixelType::Float32;
    default: break;
    }
    throw IoError("Cannot read " + quoted(path) + ": unsupported pixel depth.");
}

int depthFor(PixelType type)
{
    switch (type) {
    case PixelType::UInt8: return CV_8U;
    case PixelType::Int16: return CV_16S;
    case PixelType::UInt16: return CV_16U;
    case PixelType::Int32: return CV_32S;
    case PixelType::Float32: break;
    }
    return CV_32F;
}

cv::Mat toRgbOrder(const cv::Mat& m)
{
    cv::Mat out;
    if (m.channels() == 3) {
        cv::cvtColor(m, out, cv::COLOR_BGR2RGB);
    } else if (m.channels() == 4) {
        cv::cvtColor(m, out, cv::COLOR_BGRA2RGBA);
    } else {
        out = m;
    }
    return out;
}

} // namespace

Image readWithOpenCv(const std::filesystem::path& path, const ReadLimits& limits)
{
    std::vector<cv::Mat> pages;
    try {
        const auto bytes = std::filesystem::file_size(path);
        if (bytes > limits.maxBytes) {
            throw IoError("Cannot read " + quoted(path) + ": the file is larger than the limit.");
        }
        // A small file may declare an enormous image: refuse it from its header, before anything is decoded.
        if (const auto dims = probeImageDimensions(path)) {
            const std::uint64_t pixels = dims->width * dims->height;
            constexpr std::uint64_t kOpenCvMaxPixels = 1ull << 30; // OpenCV's CV_IO_MAX_IMAGE_PIXELS default
            if (pixels > kOpenCvMaxPixels || pixels > limits.maxBytes) {
                throw IoError("Cannot read " + quoted(path) + ": its header declares " + std::to_string(dims->width) + "x" +
                              std::to_string(dims->height) + " pixels (at least " + std::to_string(pixels >> 20) +
                              " MiB), more than the limit of " +
                              std::to_string(std::min<std::uint64_t>(kOpenCvMaxPixels, limits.maxBytes) >> 20) + " MiB.");
            }
        }
        const auto format = formatFromPath(path);
        if (format == ImageFormat::Tiff) {
            cv::imreadmulti(path.string(), pages, cv::IMREAD_UNCHANGED);
        } else {
            cv::Mat m = cv::imread(path.string(), cv::IMREAD_UNCHANGED);
            if (!m.empty()) {
                pages.push_back(m);
            }
        }
    } catch (const cv::Exception& e) {
        throw IoError("Cannot read " + quoted(path) + ": " + e.err + ".");
    } catch (const std::filesystem::filesystem_error& e) {
        throw IoError("Cannot read " + quoted(path) + ": " + e.code().message() + ".");
    }
    if (pages.empty()) {
        throw IoError("Cannot read " + quoted(path) + ": the file is corrupt, truncated or not a " +
                      formatName(formatFromPath(path)) + " image.");
    }
    const cv::Mat& first = pages.front();
    for (const auto& p : pages) {
        if (p.size() != first.size() || p.type() != first.type()) {
            throw IoError("Cannot read " + quoted(path) + ": its pages differ in size or type.");
        }
    }
    const int channels = first.channels();
    if (channels < 1 || channels > 4 || channels == 2) {
        throw IoError("Cannot read " + quoted(path) + ": " + std::to_string(channels) + " channels are not supported.");
    }
    const PixelType type = typeForDepth(first.depth(), path);
    Image image({static_cast<std::size_t>(first.cols), static_cast<std::size_t>(first.rows), pages.size()}, type, channels);
    const std::size_t sliceBytes = static_cast<std::size_t>(first.cols) * first.rows * channels * bytesPerComponent(type);
    for (std::size_t k = 0; k < pages.size(); ++k) {
        cv::Mat m = toRgbOrder(pages[k]);
        if (m.depth() != depthFor(type)) {
            m.convertTo(m, CV_MAKETYPE(depthFor(type), channels));
        }
        if (!m.isContinuous()) {
            m = m.clone();
        }
        std::memcpy(image.data() + k * sliceBytes, m.data, sliceBytes);
    }
    return image;
}

void writeWithOpenCv(const Image& image, const std::filesystem::path& path)
{
    const auto format = formatFromPath(path);
    if (!image.is2D()) {
        throw IoError("Cannot write " + quoted(path) + ": " + formatName(format) + " holds 2D images and this image has " +
                      std::to_string(image.size()[2]) + " slices (pick one slice or write NIfTI/NRRD/MHA).");
    }
    const bool sixteenOk = format == ImageFormat::Png || format == ImageFormat::Tiff;
    const bool typeOk = image.pixelType() == PixelType::UInt8 || (sixteenOk && image.pixelType() == PixelType::UInt16);
    if (!typeOk) {
        throw IoError("Cannot write " + quoted(path) + ": " + formatName(format) + " cannot store " +
                      std::string(pixelTypeName(image.pixelType())) + " pixels (rescale to uint8" +
                      (sixteenOk ? " or uint16" : "") + " first).");
    }
    if (image.components() == 2) {
        throw IoError("Cannot write " + quoted(path) + ": two-component images are not supported.");
    }
    const int cvType = CV_MAKETYPE(depthFor(image.pixelType()), image.components());
    cv::Mat view(static_cast<int>(image.size()[1]), static_cast<int>(image.size()[0]), cvType,
                 const_cast<std::byte*>(image.data()));
    cv::Mat out;
    if (image.components() == 3) {
        cv::cvtColor(view, out, cv::COLOR_RGB2BGR);
    } else if (image.components() == 4) {
        cv::cvtColor(view, out, cv::COLOR_RGBA2BGRA);
    } else {
        out = view;
    }
    bool ok = false;
    try {
        ok = cv::imwrite(path.string(), out);
    } catch (const cv::Exception& e) {
        throw IoError("Cannot write " + quoted(path) + ": " + e.err + ".");
    }
    if (!ok) {
        throw IoError("Cannot write " + quoted(path) + ": the encoder failed.");
    }
}

} // namespace strata::io

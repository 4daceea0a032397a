#include "strata/ImageSource.h"

#include "io/GreyMat.h"
#include "io/ImageHeaderProbe.h"
#include "io/PdfPages.h"
#include "strata/Error.h"
#include "strata/ImageIO.h"

#include <opencv2/imgcodecs.hpp>

#include <algorithm>
#include <sstream>

namespace strata {

namespace {

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

bool isPageImage(const std::filesystem::path& p)
{
    const auto f = formatFromPath(p);
    const auto ext = lower(p.extension().string());
    return f == ImageFormat::Png || f == ImageFormat::Jpeg || f == ImageFormat::Tiff || f == ImageFormat::Bmp ||
           ext == ".pgm" || ext == ".pbm" || ext == ".ppm" || ext == ".webp";
}

bool isTiff(const std::filesystem::path& p)
{
    return formatFromPath(p) == ImageFormat::Tiff;
}

bool isPdf(const std::filesystem::path& p)
{
    return lower(p.extension().string()) == ".pdf";
}

void addFile(const std::filesystem::path& file, std::vector<ImageRef>& pages)
{
    int count = 1;
    if (isPdf(file)) {
        count = io::PdfPages::count(file); // a PDF that cannot be opened is reported now, naming the file
    } else if (isTiff(file)) {
        try {
            count = static_cast<int>(cv::imcount(file.string(), cv::IMREAD_GRAYSCALE));
        } catch (const cv::Exception&) {
            count = 1; // reading it will report what is wrong
        }
        count = std::max(count, 1);
    }
    for (int i = 0; i < count; ++i) {
        pages.push_back({file, i, count});
    }
}

} // namespace

std::string ImageRef::name() const
{
    const std::string base = file.filename().string();
    return pageCount > 1 ? base + "#" + std::to_string(page + 1) : base;
}

std::vector<ImageRef> ImageSource::list(const std::filesystem::path& input)
{
    std::error_code ec;
    if (!std::filesystem::exists(input, ec)) {
        throw IoError("Input '" + input.string() + "' does not exist.");
    }
    std::vector<ImageRef> pages;
    if (std::filesystem::is_directory(input, ec)) {
        std::vector<std::filesystem::path> files;
        for (const auto& e : std::filesystem::directory_iterator(input)) {
            if (e.is_regular_file() && (isPageImage(e.path()) || isPdf(e.path()))) {
                files.push_back(e.path());
            }
        }
        std::sort(files.begin(), files.end());
        for (const auto& f : files) {
            addFile(f, pages);
        }
        if (pages.empty()) {
            throw IoError("Folder '" + input.string() + "' holds no images (PNG, JPEG, TIFF, BMP, PNM, WebP, PDF).");
        }
        return pages;
    }
    if (!isPageImage(input) && !isPdf(input)) {
        throw IoError("'" + input.filename().string() + "' is not an image Strata reads (PNG, JPEG, TIFF, BMP, PNM, WebP, PDF).");
    }
    addFile(input, pages);
    return pages;
}

Image ImageSource::read(const ImageRef& ref, std::uint64_t maxPixels)
{
    const std::string where = "'" + ref.name() + "'";
    std::error_code ec;
    const auto bytes = std::filesystem::file_size(ref.file, ec);
    if (ec) {
        throw IoError("Cannot read " + where + ": " + ec.message() + ".");
    }
    if (bytes == 0) {
        throw IoError("Cannot read " + where + ": the file is empty.");
    }
    if (const auto dims = io::probeImageDimensions(ref.file)) {
        if (dims->width == 0 || dims->height == 0) {
            throw IoError("Cannot read " + where + ": its header says it has no pixels.");
        }
        if (dims->width * dims->height > maxPixels) {
            throw InvalidArgument("Image " + where + " is " + std::to_string(dims->width) + " x " +
                                  std::to_string(dims->height) + " pixels, more than the limit of " +
                                  std::to_string(maxPixels / 1'000'000) + " megapixels (max_megapixels).");
        }
    }
    cv::Mat grey;
    try {
        if (isPdf(ref.file)) {
            grey = io::PdfPages::renderGrey(ref.file, ref.page, maxPixels);
        } else if (ref.pageCount > 1) {
            std::vector<cv::Mat> mats;
            cv::imreadmulti(ref.file.string(), mats, ref.page, 1, cv::IMREAD_GRAYSCALE);
            if (!mats.empty()) {
                grey = mats.front();
            }
        } else {
            grey = cv::imread(ref.file.string(), cv::IMREAD_GRAYSCALE);
        }
    } catch (const cv::Exception& e) {
        throw IoError("Cannot read " + where + ": " + e.err + ".");
    }
    if (grey.empty()) {
        throw IoError("Cannot read " + where + ": the file is corrupt, truncated or not an image.");
    }
    if (static_cast<std::uint64_t>(grey.cols) * grey.rows > maxPixels) {
        throw InvalidArgument("Image " + where + " is " + std::to_string(grey.cols) + " x " + std::to_string(grey.rows) +
                              " pixels, more than the limit of " + std::to_string(maxPixels / 1'000'000) +
                              " megapixels (max_megapixels).");
    }
    if (grey.depth() != CV_8U) {
        grey.convertTo(grey, CV_8U, 1.0 / 256.0);
    }
    return io::fromGreyMat(grey);
}

Image ImageSource::decode(std::string_view bytes, std::uint64_t maxPixels, const std::string& what)
{
    if (bytes.empty()) {
        throw InvalidArgument("Cannot read " + what + ": it is empty.");
    }
    std::istringstream in{std::string(bytes)};
    const auto dims = io::probeImageDimensions(in);
    if (!dims) {
        throw InvalidArgument("Cannot read " + what + ": not a PNG, JPEG, BMP or TIFF image (or its header is damaged).");
    }
    if (dims->width == 0 || dims->height == 0) {
        throw InvalidArgument("Cannot read " + what + ": its header says it has no pixels.");
    }
    if (dims->width * dims->height > maxPixels) {
        throw InvalidArgument("The image is " + std::to_string(dims->width) + " x " + std::to_string(dims->height) +
                              " pixels, more than the limit of " + std::to_string(maxPixels) + " pixels.");
    }
    cv::Mat grey;
    try {
        const cv::Mat raw(1, static_cast<int>(bytes.size()), CV_8UC1, const_cast<char*>(bytes.data()));
        grey = cv::imdecode(raw, cv::IMREAD_GRAYSCALE);
    } catch (const cv::Exception& e) {
        throw InvalidArgument("Cannot read " + what + ": " + e.err + ".");
    }
    if (grey.empty()) {
        throw InvalidArgument("Cannot read " + what + ": the data is corrupt or truncated.");
    }
    if (static_cast<std::uint64_t>(grey.cols) * grey.rows > maxPixels) { // header and pixels disagree
        throw InvalidArgument("The image is larger than the limit of " + std::to_string(maxPixels) + " pixels.");
    }
    if (grey.depth() != CV_8U) {
        grey.convertTo(grey, CV_8U, 1.0 / 256.0);
    }
    return io::fromGreyMat(grey);
}

} // namespace strata

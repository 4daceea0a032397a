#include "strata/classify/ClassifierInput.h"

#include "io/GreyMat.h"
#include "strata/Error.h"

#include <opencv2/imgproc.hpp>

namespace strata::classify {

namespace {

double borderMean(const cv::Mat& grey)
{
    const int b = std::max(1, std::min(grey.cols, grey.rows) / 20);
    cv::Mat mask = cv::Mat::ones(grey.size(), CV_8U) * 255;
    if (grey.cols > 2 * b && grey.rows > 2 * b) {
        mask(cv::Rect(b, b, grey.cols - 2 * b, grey.rows - 2 * b)).setTo(0);
    }
    return cv::mean(grey, mask)[0];
}

} // namespace

std::vector<float> classifierInput(const Image& image, int width, int height, const std::string& polarity)
{
    if (image.empty()) {
        throw InvalidArgument("The image is empty.");
    }
    if (!image.is2D()) {
        throw InvalidArgument("Classification needs a 2D image, not a volume of " + std::to_string(image.size()[2]) +
                              " slices.");
    }
    if (width < 1 || height < 1) {
        throw InvalidArgument("Classifier input size must be positive.");
    }
    cv::Mat grey = io::toGreyMat(image);
    const double background = borderMean(grey);
    if (polarity == "light-on-dark" && background > 127.0) {
        cv::bitwise_not(grey, grey);
    }
    const double bg = polarity == "light-on-dark" ? std::min(background, 255.0 - background) : background;
    cv::Mat fitted(height, width, CV_8U, cv::Scalar(bg));
    if (grey.cols != width || grey.rows != height) {
        const double scale = std::min(static_cast<double>(width) / grey.cols, static_cast<double>(height) / grey.rows);
        const int w = std::max(1, static_cast<int>(grey.cols * scale + 0.5));
        const int h = std::max(1, static_cast<int>(grey.rows * scale + 0.5));
        cv::Mat resized;
        cv::resize(grey, resized, cv::Size(w, h), 0, 0, scale < 1.0 ? cv::INTER_AREA : cv::INTER_LINEAR);
        resized.copyTo(fitted(cv::Rect((width - w) / 2, (height - h) / 2, w, h)));
    } else {
        grey.copyTo(fitted);
    }
    std::vector<float> out(static_cast<std::size_t>(width) * height);
    for (int y = 0; y < height; ++y) {
        const auto* row = fitted.ptr<std::uint8_t>(y);
        for (int x = 0; x < width; ++x) {
            out[static_cast<std::size_t>(y) * width + x] = row[x] / 255.0f;
        }
    }
    return out;
}

} // namespace strata::classify

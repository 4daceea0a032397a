#include "strata/superres/ImageQuality.h"

#include "strata/Error.h"

#include <opencv2/imgproc.hpp>

#include <cmath>
#include <limits>

namespace strata::superres {

namespace {

void checkSameSize(const RgbPlanes& a, const RgbPlanes& b, int border)
{
    if (a.width != b.width || a.height != b.height || a.empty() || a.width <= 2 * border || a.height <= 2 * border) {
        throw InvalidArgument("Image quality needs two non-empty images of the same size, larger than twice the border.");
    }
}

cv::Mat luma(const RgbPlanes& im, int border)
{
    cv::Mat y(im.height - 2 * border, im.width - 2 * border, CV_64F);
    for (int r = 0; r < y.rows; ++r) {
        for (int c = 0; c < y.cols; ++c) {
            y.at<double>(r, c) = 0.299 * im.at(0, r + border, c + border) + 0.587 * im.at(1, r + border, c + border) +
                                 0.114 * im.at(2, r + border, c + border);
        }
    }
    return y;
}

} // namespace

double psnr(const RgbPlanes& a, const RgbPlanes& b, int border)
{
    checkSameSize(a, b, border);
    double sum = 0.0;
    std::size_t n = 0;
    for (int c = 0; c < 3; ++c) {
        for (int y = border; y < a.height - border; ++y) {
            for (int x = border; x < a.width - border; ++x) {
                const double d = static_cast<double>(a.at(c, y, x)) - b.at(c, y, x);
                sum += d * d;
                ++n;
            }
        }
    }
    const double mse = sum / static_cast<double>(n);
    return mse == 0.0 ? std::numeric_limits<double>::infinity() : 10.0 * std::log10(1.0 / mse);
}

double ssim(const RgbPlanes& a, const RgbPlanes& b, int border)
{
    checkSameSize(a, b, border);
    const cv::Mat x = luma(a, border), y = luma(b, border);
    const double c1 = 0.01 * 0.01, c2 = 0.03 * 0.03;
    auto blur = [](const cv::Mat& m) {
        cv::Mat out;
        cv::GaussianBlur(m, out, cv::Size(11, 11), 1.5, 1.5, cv::BORDER_REFLECT);
        return out;
    };
    const cv::Mat mx = blur(x), my = blur(y);
    const cv::Mat sxx = blur(x.mul(x)) - mx.mul(mx);
    const cv::Mat syy = blur(y.mul(y)) - my.mul(my);
    const cv::Mat sxy = blur(x.mul(y)) - mx.mul(my);
    const cv::Mat num = (2 * mx.mul(my) + c1).mul(2 * sxy + c2);
    const cv::Mat den = (mx.mul(mx) + my.mul(my) + c1).mul(sxx + syy + c2);
    cv::Mat map;
    cv::divide(num, den, map);
    return cv::mean(map)[0];
}

} // namespace strata::superres

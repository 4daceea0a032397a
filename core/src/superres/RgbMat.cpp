#include "superres/RgbMat.h"

#include <algorithm>
#include <cmath>

namespace strata::superres {

RgbPlanes fromBgr8(const cv::Mat& bgr)
{
    RgbPlanes out(bgr.cols, bgr.rows);
    for (int y = 0; y < bgr.rows; ++y) {
        const auto* row = bgr.ptr<cv::Vec3b>(y);
        for (int x = 0; x < bgr.cols; ++x) {
            for (int c = 0; c < 3; ++c) {
                out.at(c, y, x) = row[x][2 - c] / 255.0f;
            }
        }
    }
    return out;
}

cv::Mat toBgr8(const RgbPlanes& image)
{
    cv::Mat out(image.height, image.width, CV_8UC3);
    for (int y = 0; y < image.height; ++y) {
        auto* row = out.ptr<cv::Vec3b>(y);
        for (int x = 0; x < image.width; ++x) {
            for (int c = 0; c < 3; ++c) {
                row[x][2 - c] = static_cast<std::uint8_t>(std::lround(std::clamp(image.at(c, y, x), 0.0f, 1.0f) * 255.0f));
            }
        }
    }
    return out;
}

cv::Mat toBgrFloat(const RgbPlanes& image)
{
    cv::Mat out(image.height, image.width, CV_32FC3);
    for (int y = 0; y < image.height; ++y) {
        auto* row = out.ptr<cv::Vec3f>(y);
        for (int x = 0; x < image.width; ++x) {
            for (int c = 0; c < 3; ++c) {
                row[x][2 - c] = image.at(c, y, x);
            }
        }
    }
    return out;
}

RgbPlanes fromBgrFloat(const cv::Mat& bgr)
{
    RgbPlanes out(bgr.cols, bgr.rows);
    for (int y = 0; y < bgr.rows; ++y) {
        const auto* row = bgr.ptr<cv::Vec3f>(y);
        for (int x = 0; x < bgr.cols; ++x) {
            for (int c = 0; c < 3; ++c) {
                out.at(c, y, x) = std::clamp(row[x][2 - c], 0.0f, 1.0f);
            }
        }
    }
    return out;
}

} // namespace strata::superres

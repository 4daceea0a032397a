#include "io/GreyMat.h"

#include "strata/Error.h"

#include <opencv2/imgproc.hpp>

#include <cstring>

namespace strata::io {

cv::Mat toGreyMat(const Image& image)
{
    if (image.empty()) {
        throw InvalidArgument("The image is empty.");
    }
    const int w = static_cast<int>(image.size()[0]), h = static_cast<int>(image.size()[1]);
    const int comps = image.components();
    if (comps != 1 && comps != 3 && comps != 4) {
        throw InvalidArgument("Images with " + std::to_string(comps) + " components are not supported (grey, RGB or RGBA).");
    }
    cv::Mat m;
    if (image.pixelType() == PixelType::UInt8) {
        m = cv::Mat(h, w, CV_8UC(comps), const_cast<std::byte*>(image.data())).clone();
    } else {
        const Image f = image.convertedTo(PixelType::Float32);
        cv::Mat mf(h, w, CV_32FC(comps), const_cast<std::byte*>(f.data()));
        double lo = 0, hi = 0;
        cv::minMaxLoc(mf.reshape(1), &lo, &hi);
        mf.convertTo(m, CV_8UC(comps), hi > lo ? 255.0 / (hi - lo) : 1.0, hi > lo ? -lo * 255.0 / (hi - lo) : 0.0);
    }
    if (comps == 3) {
        cv::cvtColor(m, m, cv::COLOR_RGB2GRAY);
    } else if (comps == 4) {
        cv::cvtColor(m, m, cv::COLOR_RGBA2GRAY);
    }
    return m;
}

Image fromGreyMat(const cv::Mat& grey)
{
    CV_Assert(grey.type() == CV_8UC1);
    Image out({static_cast<std::size_t>(grey.cols), static_cast<std::size_t>(grey.rows), 1}, PixelType::UInt8, 1);
    for (int y = 0; y < grey.rows; ++y) {
        std::memcpy(out.data() + static_cast<std::size_t>(y) * grey.cols, grey.ptr(y), grey.cols);
    }
    return out;
}

} // namespace strata::io

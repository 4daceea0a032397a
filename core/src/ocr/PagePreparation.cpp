#include "ocr/PagePreparation.h"

#include "io/GreyMat.h"
#include "strata/Error.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace strata::ocr {

namespace {

/// First and last index whose value is below `threshold`, or {-1, -1}.
std::pair<int, int> darkSpan(const cv::Mat& line, int threshold)
{
    const auto* v = line.ptr<std::uint8_t>();
    const int n = static_cast<int>(line.total());
    int first = 0, last = n - 1;
    while (first < n && v[first] >= threshold) {
        ++first;
    }
    while (last > first && v[last] >= threshold) {
        --last;
    }
    return first < n ? std::pair{first, last} : std::pair{-1, -1};
}

} // namespace

cv::Rect findTextArea(const cv::Mat& grey)
{
    const cv::Rect whole(0, 0, grey.cols, grey.rows);
    // The darkest pixel of every row and of every column, in one pass (cv::reduce's row minimum is ten times slower).
    cv::Mat rowMin(grey.rows, 1, CV_8UC1), colMin(1, grey.cols, CV_8UC1, cv::Scalar(255));
    auto* cols = colMin.ptr<std::uint8_t>();
    for (int y = 0; y < grey.rows; ++y) {
        const auto* p = grey.ptr<std::uint8_t>(y);
        std::uint8_t least = 255;
        for (int x = 0; x < grey.cols; ++x) {
            least = std::min(least, p[x]);
            cols[x] = std::min(cols[x], p[x]);
        }
        rowMin.at<std::uint8_t>(y) = least;
    }
    double darkest = 0, paper = 0;
    cv::minMaxLoc(rowMin, &darkest, &paper); // paper: the darkest pixel of the lightest row (a blank one)
    if (paper - darkest < 64) {
        return whole; // no blank row: noise, a photo, a dark page or nothing at all
    }
    const int threshold = static_cast<int>(darkest + 0.75 * (paper - darkest)); // far lighter than any Otsu threshold
    const auto [y0, y1] = darkSpan(rowMin, threshold);
    const auto [x0, x1] = darkSpan(colMin, threshold);
    if (y0 < 0 || x0 < 0) {
        return whole;
    }
    const int margin = std::max(32, std::max(grey.cols, grey.rows) / 100);
    const cv::Rect area = cv::Rect(cv::Point(x0 - margin, y0 - margin), cv::Point(x1 + 1 + margin, y1 + 1 + margin)) & whole;
    return area.area() < 0.9 * whole.area() ? area : whole;
}

int reductionFactor(const cv::Mat& grey, int longSide)
{
    return std::max(1, (std::max(grey.cols, grey.rows) + longSide - 1) / longSide);
}

cv::Mat reducedCopy(const cv::Mat& grey, int factor)
{
    // An integer factor over a page cropped to its multiple takes OpenCV's fast area path (3-4x cheaper).
    if (factor == 1) {
        return grey;
    }
    const cv::Mat whole = grey(cv::Rect(0, 0, grey.cols / factor * factor, grey.rows / factor * factor));
    cv::Mat small;
    cv::resize(whole, small, cv::Size(whole.cols / factor, whole.rows / factor), 0, 0, cv::INTER_AREA);
    return small;
}

cv::Mat greyView(const Image& page)
{
    if (!page.empty() && page.pixelType() == PixelType::UInt8 && page.components() == 1) { // the common case
        return cv::Mat(static_cast<int>(page.size()[1]), static_cast<int>(page.size()[0]), CV_8UC1,
                       const_cast<std::byte*>(page.data()));
    }
    return io::toGreyMat(page);
}

PreparedPage preparePage(const Image& page, bool deskew, const std::string& binarise)
{
    if (binarise != "none" && binarise != "otsu" && binarise != "adaptive") {
        throw InvalidArgument("Unknown binarisation '" + binarise + "' (use none, otsu or adaptive).");
    }
    if (page.empty()) {
        throw InvalidArgument("The image is empty.");
    }
    PreparedPage out;
    out.grey = greyView(page);
    if (deskew) {
        const double skew = estimateSkew(out.grey);
        if (std::abs(skew) >= 0.2) {
            const cv::Point2f centre(0.5f * (out.grey.cols - 1), 0.5f * (out.grey.rows - 1));
            cv::Mat turned;
            cv::warpAffine(out.grey, turned, cv::getRotationMatrix2D(centre, -skew, 1.0), out.grey.size(),
                           cv::INTER_LINEAR, cv::BORDER_REPLICATE);
            out.grey = turned;
            out.deskewDegrees = -skew;
        }
    }
    if (binarise == "otsu") {
        cv::Mat bw;
        cv::threshold(out.grey, bw, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
        out.grey = bw;
    } else if (binarise == "adaptive") {
        const int block = std::max(15, (std::min(out.grey.cols, out.grey.rows) / 40) | 1);
        cv::Mat bw;
        cv::adaptiveThreshold(out.grey, bw, 255, cv::ADAPTIVE_THRESH_GAUSSIAN_C, cv::THRESH_BINARY, block, 15);
        out.grey = bw;
    }
    out.textArea = findTextArea(out.grey);
    return out;
}

} // namespace strata::ocr

#include "strata/core/ocr/DocumentCleanup.h"

#include "io/GreyMat.h"
#include "strata/core/Error.h"

#include <opencv2/imgproc.hpp>

#include <cmath>
#include <vector>

namespace strata::ocr {

namespace {

/// Sharpness of the horizontal projection profile of the text pixels when they are turned by `degrees`:
/// text lines give tall narrow peaks exactly when the rotation cancels the skew.
double profileScore(const std::vector<cv::Point>& pts, int height, double degrees)
{
    const double a = degrees * M_PI / 180.0, s = std::sin(a), c = std::cos(a);
    const int margin = height; // rotated rows may leave [0, height)
    std::vector<int> bins(static_cast<std::size_t>(3 * height), 0);
    for (const auto& p : pts) {
        const int row = static_cast<int>(std::lround(p.x * s + p.y * c)) + margin;
        if (row >= 0 && row < static_cast<int>(bins.size())) {
            ++bins[static_cast<std::size_t>(row)];
        }
    }
    double score = 0;
    for (std::size_t i = 1; i < bins.size(); ++i) {
        const double d = bins[i] - bins[i - 1];
        score += d * d;
    }
    return score;
}

double estimateSkew(const cv::Mat& grey)
{
    // Work on a copy about 1000 pixels wide: skew is a global property and this keeps it ~10 ms.
    cv::Mat small;
    const double scale = std::min(1.0, 1000.0 / std::max(grey.cols, grey.rows));
    cv::resize(grey, small, cv::Size(), scale, scale, cv::INTER_AREA);
    cv::Mat ink;
    cv::threshold(small, ink, 0, 255, cv::THRESH_BINARY_INV | cv::THRESH_OTSU);
    std::vector<cv::Point> pts;
    cv::findNonZero(ink, pts);
    const double inkFraction = static_cast<double>(pts.size()) / std::max(1, small.rows * small.cols);
    if (pts.size() < 200 || inkFraction > 0.5) {
        return 0.0; // blank page, or not dark text on a light page
    }
    if (pts.size() > 60000) { // subsample evenly
        std::vector<cv::Point> sub;
        const std::size_t step = pts.size() / 60000 + 1;
        for (std::size_t i = 0; i < pts.size(); i += step) {
            sub.push_back(pts[i]);
        }
        pts.swap(sub);
    }
    double best = 0, bestScore = -1;
    for (double d = -15.0; d <= 15.0; d += 0.5) {
        const double s = profileScore(pts, small.rows, d);
        if (s > bestScore) {
            bestScore = s, best = d;
        }
    }
    const double coarse = best;
    for (double d = coarse - 0.5; d <= coarse + 0.5; d += 0.05) {
        const double s = profileScore(pts, small.rows, d);
        if (s > bestScore) {
            bestScore = s, best = d;
        }
    }
    // Projected rows equal the y of points turned by -best (OpenCV's convention: positive = counter-clockwise),
    // so the page is skewed by +best.
    return best;
}

} // namespace

double estimateSkewDegrees(const Image& grey8)
{
    return estimateSkew(io::toGreyMat(grey8));
}

CleanedPage cleanUpDocument(const Image& page, bool deskew, const std::string& binarise)
{
    if (binarise != "none" && binarise != "otsu" && binarise != "adaptive") {
        throw InvalidArgument("Unknown binarisation '" + binarise + "' (use none, otsu or adaptive).");
    }
    cv::Mat grey = io::toGreyMat(page);
    CleanedPage out;
    if (deskew) {
        const double skew = estimateSkew(grey);
        if (std::abs(skew) >= 0.2) {
            const cv::Point2f centre(0.5f * (grey.cols - 1), 0.5f * (grey.rows - 1));
            const cv::Mat rot = cv::getRotationMatrix2D(centre, -skew, 1.0);
            cv::Mat turned;
            cv::warpAffine(grey, turned, rot, grey.size(), cv::INTER_LINEAR, cv::BORDER_REPLICATE);
            grey = turned;
            out.deskewDegrees = -skew;
        }
    }
    if (binarise == "otsu") {
        cv::threshold(grey, grey, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
    } else if (binarise == "adaptive") {
        const int block = std::max(15, (std::min(grey.cols, grey.rows) / 40) | 1);
        cv::adaptiveThreshold(grey, grey, 255, cv::ADAPTIVE_THRESH_GAUSSIAN_C, cv::THRESH_BINARY, block, 15);
    }
    out.image = io::fromGreyMat(grey);
    return out;
}

} // namespace strata::ocr

#include "strata/ocr/DocumentCleanup.h"

#include "io/GreyMat.h"
#include "ocr/PagePreparation.h"
#include "strata/Error.h"

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

std::vector<cv::Point> evenSubsample(const std::vector<cv::Point>& pts, std::size_t most)
{
    if (pts.size() <= most) {
        return pts;
    }
    std::vector<cv::Point> sub;
    sub.reserve(most + 1);
    const std::size_t step = pts.size() / most + 1;
    for (std::size_t i = 0; i < pts.size(); i += step) {
        sub.push_back(pts[i]);
    }
    return sub;
}

} // namespace

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
    // The coarse search (61 angles) only has to find the right half degree: a quarter of the points does that;
    // the fine one (21 angles) uses up to 60000.
    const auto coarsePts = evenSubsample(pts, 15000);
    pts = evenSubsample(pts, 60000);
    double best = 0, bestScore = -1;
    for (double d = -15.0; d <= 15.0; d += 0.5) {
        const double s = profileScore(coarsePts, small.rows, d);
        if (s > bestScore) {
            bestScore = s, best = d;
        }
    }
    const double coarse = best;
    bestScore = -1;
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

double estimateSkewDegrees(const Image& grey8)
{
    return estimateSkew(io::toGreyMat(grey8));
}

CleanedPage cleanUpDocument(const Image& page, bool deskew, const std::string& binarise)
{
    PreparedPage prepared = preparePage(page, deskew, binarise);
    return {io::fromGreyMat(prepared.grey), prepared.deskewDegrees};
}

} // namespace strata::ocr

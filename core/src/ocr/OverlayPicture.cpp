#include "ocr/OverlayPicture.h"

#include "ocr/PagePreparation.h"
#include "strata/Error.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace strata::ocr {

void writeOverlayPicture(const Image& page, const OcrPage& result, const std::filesystem::path& file)
{
    const cv::Mat grey = greyView(page);
    const int factor = reductionFactor(grey, kOverlayLongSide);
    const cv::Mat small = reducedCopy(grey, factor);
    const double scale = 1.0 / factor;
    cv::Mat colour;
    cv::cvtColor(small, colour, cv::COLOR_GRAY2BGR);
    for (const auto& line : result.lines) {
        for (const auto& w : line.words) {
            const cv::Scalar c = w.confidence >= 80 ? cv::Scalar(40, 170, 40)
                                 : w.confidence >= 50 ? cv::Scalar(0, 140, 255) : cv::Scalar(40, 40, 220);
            const cv::Point a(static_cast<int>(std::floor(w.box.x * scale)), static_cast<int>(std::floor(w.box.y * scale)));
            const cv::Point b(static_cast<int>(std::ceil((w.box.x + w.box.width) * scale)),
                              static_cast<int>(std::ceil((w.box.y + w.box.height) * scale)));
            cv::rectangle(colour, a, b, c, 1);
        }
    }
    if (!cv::imwrite(file.string(), colour)) {
        throw IoError("Cannot write overlay '" + file.string() + "'.");
    }
}

} // namespace strata::ocr

#include "io/VideoCapture.h"

#include "strata/Error.h"

#include <opencv2/videoio/registry.hpp>

namespace strata::io {

cv::VideoCapture openVideoFile(const std::filesystem::path& path)
{
    static const bool ffmpeg = cv::videoio_registry::hasBackend(cv::CAP_FFMPEG);
    try {
        return cv::VideoCapture(path.string(), ffmpeg ? cv::CAP_FFMPEG : cv::CAP_ANY);
    } catch (const cv::Exception&) {
        return {};
    }
}

bool readVideoFrame(cv::VideoCapture& cap, cv::Mat& frame, const std::string& what, long long index)
{
    try {
        return cap.read(frame) && !frame.empty();
    } catch (const cv::Exception& e) {
        throw IoError(what + " is damaged: frame " + std::to_string(index) + " cannot be decoded (" + e.err + ").");
    }
}

} // namespace strata::io

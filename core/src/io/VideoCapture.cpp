#include "io/VideoCapture.h"

#include <opencv2/videoio/registry.hpp>

namespace strata::io {

cv::VideoCapture openVideoFile(const std::filesystem::path& path)
{
    static const bool ffmpeg = cv::videoio_registry::hasBackend(cv::CAP_FFMPEG);
    return cv::VideoCapture(path.string(), ffmpeg ? cv::CAP_FFMPEG : cv::CAP_ANY);
}

} // namespace strata::io

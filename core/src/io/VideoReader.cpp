#include "io/VideoReader.h"

#include "io/HelperProcess.h"
#include "io/MediaDecodeStream.h"
#include "io/MediaDecoderProcess.h"
#include "io/VideoCapture.h"
#include "strata/Error.h"

namespace strata::io {

VideoReader::VideoReader(const std::filesystem::path& path)
{
    if (const auto helper = locateMediaDecoder()) {
        process_ = std::make_unique<MediaDecoderProcess>(*helper, path);
        stream_ = std::make_unique<MediaDecodeStream>(
            [p = process_.get()](void* buffer, std::size_t n) { return p->read(buffer, n); });
        try {
            opened_ = stream_->open();
        } catch (const IoError&) { // stalled before its header: not a video it can open
            opened_ = false;
        }
        if (opened_) {
            width_ = stream_->header().width;
            height_ = stream_->header().height;
            fps_ = stream_->header().fps;
            frameCount_ = stream_->header().frameCount;
        }
        return;
    }
    local_ = openVideoFile(path);
    opened_ = local_.isOpened();
    if (opened_) {
        width_ = static_cast<int>(local_.get(cv::CAP_PROP_FRAME_WIDTH));
        height_ = static_cast<int>(local_.get(cv::CAP_PROP_FRAME_HEIGHT));
        fps_ = local_.get(cv::CAP_PROP_FPS);
        frameCount_ = local_.get(cv::CAP_PROP_FRAME_COUNT);
    }
}

VideoReader::~VideoReader() = default;

bool VideoReader::read(cv::Mat& frame, const std::string& what, long long index)
{
    if (!opened_ || ended_) return false;
    if (!process_) return readVideoFrame(local_, frame, what, index);
    const std::string at = what + " is damaged: frame " + std::to_string(index) + " cannot be decoded (";
    MediaDecodeStream::Next next{};
    try {
        next = stream_->next(frame);
    } catch (const IoError& e) { // stalled
        throw IoError(at + e.what() + ").");
    }
    switch (next) {
    case MediaDecodeStream::Next::Frame:
        return true;
    case MediaDecodeStream::Next::End:
        ended_ = true;
        return false;
    case MediaDecodeStream::Next::Failure:
        ended_ = true;
        throw IoError(at + stream_->message() + ").");
    case MediaDecodeStream::Next::Broken:
        break;
    }
    ended_ = true;
    const std::string exit = process_->exitDescription();
    throw IoError(at + (exit.empty() ? "the video decoder's output was damaged: " + stream_->brokenReason() : exit) +
                  ").");
}

} // namespace strata::io

#include "io/MediaDecodeStream.h"

#include <opencv2/core.hpp>

#include <cmath>
#include <cstring>

namespace strata::io {

namespace {

bool acceptedType(int type)
{
    return type == CV_8UC1 || type == CV_8UC3 || type == CV_8UC4 || type == CV_16UC1 || type == CV_16UC3 ||
           type == CV_16UC4;
}

} // namespace

MediaDecodeStream::MediaDecodeStream(ReadFunction read) : read_(std::move(read)) {}

bool MediaDecodeStream::readExactly(void* buffer, std::size_t n)
{
    auto* out = static_cast<char*>(buffer);
    while (n > 0) {
        const std::size_t got = read_(out, n);
        if (got == 0) return false;
        out += got;
        n -= got;
    }
    return true;
}

MediaDecodeStream::Next MediaDecodeStream::broken(std::string reason)
{
    ended_ = true;
    broken_ = std::move(reason);
    return Next::Broken;
}

MediaDecodeStream::Next MediaDecodeStream::readFailure()
{
    ended_ = true;
    std::uint32_t length = 0;
    if (!readExactly(&length, sizeof length)) return broken("it ended inside a failure record");
    if (length > media::kMaxFailureBytes) return broken("a failure message of " + std::to_string(length) + " bytes");
    message_.assign(length, '\0');
    if (!readExactly(message_.data(), length)) return broken("it ended inside a failure message");
    for (char& c : message_) {
        if (static_cast<unsigned char>(c) < 0x20) c = ' ';
    }
    return Next::Failure;
}

bool MediaDecodeStream::open()
{
    char magic[sizeof media::kMagic];
    if (!readExactly(magic, sizeof magic)) {
        broken("it was empty");
        return false;
    }
    if (std::memcmp(magic, media::kMagic, sizeof magic) != 0) {
        broken("it did not start with the protocol's magic (not strata-media-decode?)");
        return false;
    }
    std::uint32_t tag = 0;
    if (!readExactly(&tag, sizeof tag)) {
        broken("it ended before its first record");
        return false;
    }
    if (tag == static_cast<std::uint32_t>(media::Record::Failure)) {
        readFailure();
        return false;
    }
    if (tag != static_cast<std::uint32_t>(media::Record::Header) || !readExactly(&header_, sizeof header_)) {
        broken("its first record was not a header");
        return false;
    }
    if (header_.width < 0 || header_.height < 0 || header_.width > kMaxSide || header_.height > kMaxSide ||
        !std::isfinite(header_.fps) || !std::isfinite(header_.frameCount) || header_.fps < 0 || header_.frameCount < 0 ||
        header_.frameCount > 1e12) {
        broken("its header was impossible");
        return false;
    }
    return true;
}

MediaDecodeStream::Next MediaDecodeStream::next(cv::Mat& frame)
{
    if (ended_) return broken_.empty() ? (message_.empty() ? Next::End : Next::Failure) : Next::Broken;
    std::uint32_t tag = 0;
    if (!readExactly(&tag, sizeof tag)) return broken("it ended between frames, without an end record");
    switch (static_cast<media::Record>(tag)) {
    case media::Record::End:
        ended_ = true;
        return Next::End;
    case media::Record::Failure:
        return readFailure();
    case media::Record::Frame:
        break;
    default:
        return broken("a record it does not know");
    }
    media::FrameHeader fh{};
    if (!readExactly(&fh, sizeof fh)) return broken("it ended inside a frame header");
    if (fh.rows < 1 || fh.cols < 1 || fh.rows > kMaxSide || fh.cols > kMaxSide || !acceptedType(fh.type)) {
        return broken("a frame of " + std::to_string(fh.cols) + " x " + std::to_string(fh.rows) + " of type " +
                      std::to_string(fh.type));
    }
    const std::size_t bytes = static_cast<std::size_t>(fh.rows) * static_cast<std::size_t>(fh.cols) *
                              static_cast<std::size_t>(CV_ELEM_SIZE(fh.type));
    if (bytes > kMaxFrameBytes) return broken("a frame of " + std::to_string(bytes >> 20) + " MiB");
    frame.create(fh.rows, fh.cols, fh.type);
    if (!readExactly(frame.data, bytes)) {
        frame.release();
        return broken("it ended in the middle of a frame");
    }
    return Next::Frame;
}

} // namespace strata::io

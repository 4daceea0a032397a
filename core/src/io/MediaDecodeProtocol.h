#pragma once
// The byte stream strata-media-decode (app/strata-media-decode) writes to its stdout and io::MediaDecodeStream
// reads: "SMD1", then records, each a 4-byte tag and its payload, in this machine's byte order (both ends run on the
// same machine). The first record is Header or Failure; then Frame records; the last is End, or Failure when a frame
// could not be decoded. A stream that stops without End or Failure is a decoder that died.
//   Header  StreamHeader                        the container's frame size, rate and count (0 when unknown)
//   Frame   FrameHeader, rows x cols x element  one decoded frame as OpenCV returned it (BGR, continuous)
//   Failure uint32 length, text                 why the file could not be opened or a frame decoded (OpenCV's words)
//   End     -
#include <cstdint>

namespace strata::io::media {

inline constexpr char kMagic[4] = {'S', 'M', 'D', '1'};

enum class Record : std::uint32_t {
    Header = 0x44414548,  // "HEAD"
    Frame = 0x4d415246,   // "FRAM"
    Failure = 0x4c494146, // "FAIL"
    End = 0x454e4f44,     // "DONE"
};

struct StreamHeader {
    std::int32_t width;
    std::int32_t height;
    double fps;
    double frameCount;
};

struct FrameHeader {
    std::int32_t rows;
    std::int32_t cols;
    std::int32_t type; ///< OpenCV's type code (CV_8UC3, ...)
    std::int32_t reserved;
};

inline constexpr std::uint32_t kMaxFailureBytes = 4096;

} // namespace strata::io::media

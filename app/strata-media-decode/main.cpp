// strata-media-decode: decodes files from outside for Strata's programs, which run it instead of decoding them in
// their own memory (issue 23: OpenCV 4.6's FFmpeg backend reads past its buffers on some damaged videos; GDCM's
// codecs abort, and write out of bounds, on some damaged DICOM pixel data).
//   strata-media-decode FILE
//       a video, with OpenCV's FFmpeg backend: its frames to stdout in the protocol of
//       core/src/io/MediaDecodeProtocol.h (io::VideoReader reads it)
//   strata-media-decode --dicom-copies MAX_BYTES LIST
//       LIST holds NUL-separated pairs FILE COPY: each DICOM FILE is decoded with GDCM and written to COPY with native
//       pixel data; progress to stdout as io/DicomCopyDecode.h says (io/DicomChildDecode.h reads it)
// Exit code 0 whenever it could say what happened on stdout; no core file.
#include "io/DicomCopyDecode.h"
#include "io/MediaDecodeProtocol.h"
#include "io/VideoCapture.h"

#include <opencv2/core.hpp>

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace strata::io;

bool writeAll(const void* data, std::size_t n)
{
    const auto* p = static_cast<const char*>(data);
    while (n > 0) {
        const ssize_t put = ::write(1, p, n);
        if (put < 0 && errno == EINTR) continue;
        if (put <= 0) return false; // the reader went away: nothing left to do
        p += put;
        n -= static_cast<std::size_t>(put);
    }
    return true;
}

bool writeRecord(media::Record record)
{
    const auto tag = static_cast<std::uint32_t>(record);
    return writeAll(&tag, sizeof tag);
}

/// Caps the heap (RLIMIT_DATA: brk and private writable mappings, thread stacks included) for a video decode: FFmpeg
/// asks for what a file says it needs (a 498-byte AVI the fuzzer made: 1.85 GB in avformat_open_input). Default 1 GiB
/// + 64 MiB per hardware thread, at least 2 GiB (STRATA_MEDIA_DECODE_MEMORY_MB; 0 = none): OpenCV's and FFmpeg's
/// threads each take a stack and an arena (a 64 x 48 clip needed 200-400 MiB on 2 cores); frames of 8K video and
/// their decoder's buffers fit. Not under AddressSanitizer, whose shadow memory is such a mapping.
void limitVideoMemory()
{
#if defined(__SANITIZE_ADDRESS__)
    return;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
    return;
#endif
#endif
    std::uint64_t megabytes = std::max<std::uint64_t>(2048, 1024 + 64ull * std::thread::hardware_concurrency());
    if (const char* env = std::getenv("STRATA_MEDIA_DECODE_MEMORY_MB"); env && *env) {
        megabytes = std::strtoull(env, nullptr, 10);
    }
    if (megabytes == 0) return;
    const rlimit limit{megabytes << 20, megabytes << 20};
    ::setrlimit(RLIMIT_DATA, &limit);
}

int fail(std::string message)
{
    if (message.size() > media::kMaxFailureBytes) message.resize(media::kMaxFailureBytes);
    const auto length = static_cast<std::uint32_t>(message.size());
    if (writeRecord(media::Record::Failure) && writeAll(&length, sizeof length)) writeAll(message.data(), length);
    return 0;
}

int decodeDicomCopies(const char* maxBytesText, const char* listFile)
{
    char* end = nullptr;
    const unsigned long long maxBytes = std::strtoull(maxBytesText, &end, 10);
    std::ifstream in(listFile, std::ios::binary);
    if (!end || *end != '\0' || !in) return 2;
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::vector<std::string> words;
    for (std::size_t at = 0; at < text.size();) {
        const std::size_t nul = text.find('\0', at);
        if (nul == std::string::npos) return 2;
        words.push_back(text.substr(at, nul - at));
        at = nul + 1;
    }
    if (words.size() % 2 != 0) return 2;
    std::vector<std::string> files, copies;
    for (std::size_t i = 0; i < words.size(); i += 2) {
        files.push_back(words[i]);
        copies.push_back(words[i + 1]);
    }
    strata::io::quietDicomDecoding();
    strata::io::decodeDicomCopies(files, copies, maxBytes, 1);
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc == 4 && std::strcmp(argv[1], "--dicom-copies") == 0) return decodeDicomCopies(argv[2], argv[3]);
    if (argc != 2 || argv[1][0] == '-') {
        std::fprintf(stderr, "usage: strata-media-decode FILE | --dicom-copies MAX_BYTES LIST\n"
                             "Decodes files for Strata's programs, writing to stdout (not for people).\n");
        return 2;
    }
    const rlimit noCore{0, 0};
    ::setrlimit(RLIMIT_CORE, &noCore);
    limitVideoMemory();
    if (!writeAll(media::kMagic, sizeof media::kMagic)) return 0;
    cv::VideoCapture cap = openVideoFile(argv[1]);
    if (!cap.isOpened()) return fail("not a video OpenCV can decode, or corrupt");
    media::StreamHeader header{};
    header.width = static_cast<std::int32_t>(cap.get(cv::CAP_PROP_FRAME_WIDTH));
    header.height = static_cast<std::int32_t>(cap.get(cv::CAP_PROP_FRAME_HEIGHT));
    header.fps = cap.get(cv::CAP_PROP_FPS);
    header.frameCount = cap.get(cv::CAP_PROP_FRAME_COUNT);
    if (!writeRecord(media::Record::Header) || !writeAll(&header, sizeof header)) return 0;
    cv::Mat frame;
    for (;;) {
        try {
            if (!cap.read(frame) || frame.empty()) break;
        } catch (const cv::Exception& e) {
            return fail(e.err);
        }
        if (!frame.isContinuous()) frame = frame.clone();
        const media::FrameHeader fh{frame.rows, frame.cols, frame.type(), 0};
        if (!writeRecord(media::Record::Frame) || !writeAll(&fh, sizeof fh) ||
            !writeAll(frame.data, frame.total() * frame.elemSize())) {
            return 0;
        }
    }
    writeRecord(media::Record::End);
    return 0;
}

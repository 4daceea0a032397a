// The HTTP request-head scanner of strata-server's connection gate (remote/src/HeadScanner.h).
// Contract: the same verdict however the bytes are split into reads; `used` never exceeds what was fed; a head over
// maxBytes is refused at maxBytes + 1; and the scanner ends the head exactly where cpp-httplib 0.11 (which reads it
// after the gate) does: at the first line, after the request line, that is exactly CRLF. If the scanner finished
// earlier, httplib would go on reading header lines with none of the gate's limits (size, count, deadline).
#include "FuzzSupport.h"
#include "HeadScanner.h"

#include <vector>

using strata::remote::HeadScanner;

namespace {

/// Where httplib's request reader stops: the byte count up to and including the blank CRLF line, or 0 when the
/// bytes hold no complete head. The first line is the request line (httplib answers 400 for an empty one without
/// reading headers: that ends the head too); later lines end the head only when they are exactly "\r\n".
std::size_t httplibHeadEnd(std::string_view text)
{
    std::size_t start = 0;
    for (std::size_t line = 0;; ++line) {
        const auto lf = text.find('\n', start);
        if (lf == std::string_view::npos) return 0;
        const std::string_view content = text.substr(start, lf - start);
        if (line == 0 ? (content.empty() || content == "\r") : content == "\r") return lf + 1;
        start = lf + 1;
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size < 3) return 0;
    // First bytes: the limits (small, so they are reached) and how to cut the rest into reads.
    const std::size_t maxBytes = 16 + data[0] * 4;
    const std::size_t maxHeaders = data[1] % 16;
    const std::uint8_t cutSeed = data[2];
    const std::string_view text = strata::fuzz::asText(data + 3, size - 3);

    HeadScanner whole(maxBytes, maxHeaders);
    std::size_t wholeUsed = 0;
    const auto wholeState = whole.feed(text.data(), text.size(), wholeUsed);
    FUZZ_CHECK(wholeUsed <= text.size(), "used beyond the input");
    FUZZ_CHECK(whole.bytes() == wholeUsed, "bytes() differs from used after one feed");
    if (wholeState == HeadScanner::State::NeedMore) FUZZ_CHECK(wholeUsed == text.size(), "stopped early");
    if (wholeState == HeadScanner::State::TooLarge) FUZZ_CHECK(whole.bytes() == maxBytes + 1, "refused elsewhere than at the limit");
    FUZZ_CHECK(whole.bytes() <= maxBytes + 1, "read past the size limit");

    // The same bytes in pieces of 1..(cutSeed % 7 + 1) bytes give the same verdict at the same byte.
    HeadScanner pieces(maxBytes, maxHeaders);
    std::size_t at = 0, step = 0, total = 0;
    auto state = HeadScanner::State::NeedMore;
    while (at < text.size() && state == HeadScanner::State::NeedMore) {
        const std::size_t n = std::min<std::size_t>(text.size() - at, 1 + (cutSeed + step++ * 31) % (cutSeed % 7 + 1));
        std::size_t used = 0;
        state = pieces.feed(text.data() + at, n, used);
        FUZZ_CHECK(used <= n, "used beyond the piece");
        total += used;
        at += n;
    }
    FUZZ_CHECK(state == wholeState, "the verdict depends on how the bytes arrived");
    FUZZ_CHECK(total == wholeUsed, "the head ends elsewhere when the bytes arrive in pieces");

    // Agreement with httplib: a complete head ends where httplib stops reading it. An unfinished one (NeedMore)
    // may not hold httplib's end either.
    const std::size_t end = httplibHeadEnd(text);
    if (wholeState == HeadScanner::State::Complete) {
        FUZZ_CHECK(end == wholeUsed, "the gate passes a head that httplib reads further (limits bypassed)");
    } else if (wholeState == HeadScanner::State::NeedMore) {
        FUZZ_CHECK(end == 0, "httplib would see a complete head the gate still waits for");
    }
    return 0;
}

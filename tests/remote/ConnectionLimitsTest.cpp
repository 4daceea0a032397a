// Unit tests of the server's connection limits (no server process): request head scanning, the wrong-token
// throttle and the redaction of server paths from client messages.
#include "AuthThrottle.h"
#include "HeadScanner.h"
#include "HttpSupport.h"
#include "PathRedaction.h"

#include <gtest/gtest.h>

#include <string>

using namespace strata::remote;

namespace {
HeadScanner::State feedAll(HeadScanner& s, const std::string& text, std::size_t& used)
{
    return s.feed(text.data(), text.size(), used);
}
} // namespace

TEST(HeadScanner, FindsTheEndOfTheHeadByteByByteOrAtOnce)
{
    const std::string head = "GET /a HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n\r\n";
    const std::string body = "BODY";
    HeadScanner whole(65536, 100);
    std::size_t used = 0;
    EXPECT_EQ(feedAll(whole, head + body, used), HeadScanner::State::Complete);
    EXPECT_EQ(used, head.size()); // the body is not part of the head
    HeadScanner slow(65536, 100);
    for (std::size_t i = 0; i + 1 < head.size(); ++i) {
        EXPECT_EQ(slow.feed(&head[i], 1, used), HeadScanner::State::NeedMore) << i;
    }
    EXPECT_EQ(slow.feed(&head.back(), 1, used), HeadScanner::State::Complete);
}

// Found by fuzz/fuzz_head_scanner: the gate ended a head at a bare LF line or a "\r\r\n" line, where cpp-httplib
// (which reads the head after the gate) goes on reading header lines, with none of the gate's limits.
TEST(HeadScanner, EndsTheHeadExactlyWhereHttplibDoes)
{
    std::size_t used = 0;
    for (const std::string blank : {"\n", "\r\r\n", "\r \r\n"}) {
        const std::string head = "GET / HTTP/1.1\r\nHost: x\r\n" + blank + "X-More: 1\r\n";
        HeadScanner s(65536, 100);
        EXPECT_EQ(feedAll(s, head, used), HeadScanner::State::NeedMore) << blank.size();
        EXPECT_EQ(feedAll(s, "\r\n", used), HeadScanner::State::Complete); // the real end: exactly CRLF
        std::string flood = "GET / HTTP/1.1\r\n" + blank;
        for (int i = 0; i < 150; ++i) flood += "X: 1\r\n";
        HeadScanner limited(65536, 100); // the limits still hold after such a line
        EXPECT_EQ(feedAll(limited, flood, used), HeadScanner::State::TooManyHeaders);
    }
    HeadScanner bare(65536, 100); // LF-only heads never end (httplib refuses an LF-only request line anyway)
    EXPECT_EQ(feedAll(bare, "GET / HTTP/1.0\nHost: x\n\n", used), HeadScanner::State::NeedMore);
    HeadScanner empty(65536, 100); // an empty request line: httplib answers 400 without reading headers
    EXPECT_EQ(feedAll(empty, "\r\nGET", used), HeadScanner::State::Complete);
    EXPECT_EQ(used, 2u);
}

TEST(HeadScanner, RefusesTooManyHeaderLinesAndTooManyBytes)
{
    std::string head = "GET / HTTP/1.1\r\n";
    for (int i = 0; i < 100; ++i) head += "X: 1\r\n";
    std::size_t used = 0;
    HeadScanner hundred(65536, 100);
    EXPECT_EQ(feedAll(hundred, head + "\r\n", used), HeadScanner::State::Complete);
    HeadScanner more(65536, 100);
    EXPECT_EQ(feedAll(more, head + "X: 1\r\n\r\n", used), HeadScanner::State::TooManyHeaders);
    HeadScanner small(1024, 100);
    EXPECT_EQ(feedAll(small, "GET / HTTP/1.1\r\nX: " + std::string(2000, 'a'), used), HeadScanner::State::TooLarge);
    EXPECT_EQ(small.bytes(), 1025u); // it stopped right past the limit
}

// Found by fuzz/fuzz_http_body: a long name was cut to its last 120 characters after its leading dots were
// removed, so the cut could start with a dot (a hidden file in the job folder).
TEST(HttpSupport, SafeFileNamesNeverStartWithADot)
{
    const std::string name = safeFileName("127.0.0.1" + std::string(114, 'a') + ".nii"); // 127 characters
    EXPECT_EQ(name.size(), 119u); // the cut kept ".1aaa...a.nii"; now its dot goes
    EXPECT_EQ(name.front(), '1');
    EXPECT_EQ(name.substr(name.size() - 4), ".nii");
    EXPECT_EQ(safeFileName("../../.hidden"), "hidden");
    EXPECT_EQ(safeFileName("..."), "input");
}

TEST(AuthThrottle, LimitsAnAddressForTheRestOfItsMinute)
{
    using namespace std::chrono_literals;
    AuthThrottle t(3);
    const auto t0 = AuthThrottle::Clock::now();
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(t.retryAfterSeconds("10.0.0.1", t0), 0);
        t.failed("10.0.0.1", t0);
    }
    EXPECT_EQ(t.retryAfterSeconds("10.0.0.1", t0 + 10s), 50);
    EXPECT_EQ(t.retryAfterSeconds("10.0.0.2", t0 + 10s), 0); // other addresses are not affected
    EXPECT_EQ(t.retryAfterSeconds("10.0.0.1", t0 + 61s), 0); // a new minute
    AuthThrottle off(0);
    for (int i = 0; i < 100; ++i) off.failed("10.0.0.1", t0);
    EXPECT_EQ(off.retryAfterSeconds("10.0.0.1", t0), 0);
}

TEST(PathRedaction, ServerFoldersBecomeRelativeOrNamed)
{
    EXPECT_EQ(withoutServerPath("Cannot read '/srv/data/jobs/ab/inputs/image/x.mha': truncated", "/srv/data/jobs/ab", "the job folder"),
              "Cannot read 'inputs/image/x.mha': truncated");
    EXPECT_EQ(withoutServerPath("in /srv/data/jobs/ab.", "/srv/data/jobs/ab/", "the job folder"), "in the job folder.");
    EXPECT_EQ(withoutServerPath("no path here", "/srv/data", "x"), "no path here");
}

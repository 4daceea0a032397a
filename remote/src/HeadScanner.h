#pragma once

#include <cstddef>

namespace strata::remote {

/// Follows the bytes of an HTTP request head as they arrive and says when it is complete (the empty line after
/// the headers) or over its limits. Incremental: each byte is looked at once, however slowly it comes.
class HeadScanner {
public:
    enum class State { NeedMore, Complete, TooLarge, TooManyHeaders };

    HeadScanner(std::size_t maxBytes, std::size_t maxHeaders) : maxBytes_(maxBytes), maxHeaders_(maxHeaders) {}

    /// Feeds n bytes. Returns the state after them; `used` is how many of them belong to the head (all of them
    /// unless it completed inside this piece).
    State feed(const char* data, std::size_t n, std::size_t& used)
    {
        used = 0;
        while (used < n && state_ == State::NeedMore) {
            const char c = data[used++];
            if (++bytes_ > maxBytes_) {
                state_ = State::TooLarge;
            } else if (c == '\n') {
                // The head ends where cpp-httplib stops reading it: at the first line after the request line that is
                // exactly CRLF (httplib skips a bare LF line and takes "\r\r\n" for a header line: ending the head
                // there would let httplib read on past every limit), or at an empty request line (httplib answers
                // 400 without reading headers).
                if ((lineLength_ == 1 && lineIsCr_) || (lines_ == 0 && lineLength_ == 0)) {
                    state_ = State::Complete;
                } else if (++lines_ > maxHeaders_ + 1) { // the request line and maxHeaders header lines
                    state_ = State::TooManyHeaders;
                }
                lineLength_ = 0;
            } else {
                lineIsCr_ = lineLength_++ == 0 && c == '\r';
            }
        }
        return state_;
    }

    State state() const { return state_; }
    std::size_t bytes() const { return bytes_; }

private:
    std::size_t maxBytes_, maxHeaders_;
    std::size_t bytes_{0}, lines_{0}, lineLength_{0}; ///< lineLength_: bytes of the line so far, CR included
    bool lineIsCr_{false};                             ///< the line so far is one CR
    State state_{State::NeedMore};
};

} // namespace strata::remote

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
                if (lineLength_ == 0) {
                    state_ = State::Complete;
                } else if (++lines_ > maxHeaders_ + 1) { // the request line and maxHeaders header lines
                    state_ = State::TooManyHeaders;
                }
                lineLength_ = 0;
            } else if (c != '\r') {
                ++lineLength_;
            }
        }
        return state_;
    }

    State state() const { return state_; }
    std::size_t bytes() const { return bytes_; }

private:
    std::size_t maxBytes_, maxHeaders_;
    std::size_t bytes_{0}, lines_{0}, lineLength_{0};
    State state_{State::NeedMore};
};

} // namespace strata::remote

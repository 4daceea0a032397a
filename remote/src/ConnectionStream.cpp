#include "ConnectionStream.h"

#include "SocketOps.h"

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace strata::remote {

ConnectionStream::ConnectionStream(int fd, SSL* ssl, std::string buffered, const ConnectionLimits& limits,
                                   Clock::time_point headDeadline)
    : fd_(fd), ssl_(ssl), buffered_(std::move(buffered)), limits_(limits), headDeadline_(headDeadline),
      head_(limits.maxHeadBytes, limits.maxHeaderCount)
{
}

bool ConnectionStream::waitReadable(int timeoutMs) const
{
    if (bufferedPos_ < buffered_.size()) return true;
    if (ssl_ && SSL_pending(ssl_) > 0) return true;
    return waitForSocket(fd_, POLLIN, timeoutMs);
}

bool ConnectionStream::is_readable() const
{
    return waitReadable(limits_.readTimeoutSeconds * 1000);
}

bool ConnectionStream::is_writable() const
{
    return waitForSocket(fd_, POLLOUT, limits_.writeTimeoutSeconds * 1000);
}

ssize_t ConnectionStream::receive(char* ptr, size_t size)
{
    if (bufferedPos_ < buffered_.size()) {
        const size_t n = std::min(size, buffered_.size() - bufferedPos_);
        std::memcpy(ptr, buffered_.data() + bufferedPos_, n);
        bufferedPos_ += n;
        if (bufferedPos_ == buffered_.size()) {
            buffered_.clear();
            bufferedPos_ = 0;
        }
        return static_cast<ssize_t>(n);
    }
    auto deadline = Clock::now() + std::chrono::seconds(limits_.readTimeoutSeconds);
    if (head_.state() == HeadScanner::State::NeedMore) deadline = std::min(deadline, headDeadline_);
    auto msLeft = [&deadline] {
        return static_cast<int>(std::max<long long>(
            0, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count()));
    };
    // Fill the buffer: httplib reads the head a byte at a time.
    char chunk[16384];
    ssize_t got;
    if (ssl_) { // non-blocking: a partial TLS record waits in poll, under the same deadline
        for (;;) {
            got = SSL_read(ssl_, chunk, sizeof chunk);
            if (got > 0) break;
            const int err = SSL_get_error(ssl_, static_cast<int>(got));
            if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE) return -1;
            if (!waitForSocket(fd_, err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, msLeft())) return -1;
        }
    } else {
        if (!waitReadable(msLeft())) return -1;
        do {
            got = ::recv(fd_, chunk, sizeof chunk, 0);
        } while (got < 0 && errno == EINTR);
    }
    if (got <= 0) return -1;
    buffered_.assign(chunk, static_cast<size_t>(got));
    bufferedPos_ = 0;
    return receive(ptr, size);
}

ssize_t ConnectionStream::read(char* ptr, size_t size)
{
    if (headRefused_) return -1;
    const ssize_t n = receive(ptr, size);
    if (n <= 0 || head_.state() != HeadScanner::State::NeedMore) return n;
    size_t used = 0;
    const auto state = head_.feed(ptr, static_cast<size_t>(n), used);
    if (state == HeadScanner::State::TooLarge || state == HeadScanner::State::TooManyHeaders) {
        headRefused_ = true;
        return -1;
    }
    return n;
}

ssize_t ConnectionStream::write(const char* ptr, size_t size)
{
    if (!is_writable()) return -1;
    if (ssl_) {
        for (;;) {
            const int n = SSL_write(ssl_, ptr, static_cast<int>(size));
            if (n > 0) return n;
            const int err = SSL_get_error(ssl_, n);
            if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE) return -1;
            if (!waitForSocket(fd_, err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, limits_.writeTimeoutSeconds * 1000)) return -1;
        }
    }
    ssize_t n;
    do {
        n = ::send(fd_, ptr, size, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    return n;
}

void ConnectionStream::get_remote_ip_and_port(std::string& ip, int& port) const
{
    socketAddress(fd_, true, ip, port);
}

void ConnectionStream::get_local_ip_and_port(std::string& ip, int& port) const
{
    socketAddress(fd_, false, ip, port);
}

std::string ConnectionStream::takeBuffered()
{
    std::string rest = buffered_.substr(bufferedPos_);
    buffered_.clear();
    bufferedPos_ = 0;
    return rest;
}

} // namespace strata::remote

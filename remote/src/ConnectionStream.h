#pragma once

#include "ConnectionLimits.h"
#include "HeadScanner.h"

#include <httplib.h>
#include <openssl/ssl.h>

#include <chrono>
#include <string>

namespace strata::remote {

/// One request's view of a client connection for httplib's request processing (plain TCP or TLS): reads first
/// what was already received (the head the gate collected), every wait is bounded by poll(), and while the
/// request head is read it enforces the head limits and deadline itself (TLS connections reach the server before
/// their head is known). Bytes read past the end of this request stay buffered for the next one (takeBuffered).
class ConnectionStream : public httplib::Stream {
public:
    using Clock = std::chrono::steady_clock;

    ConnectionStream(int fd, SSL* ssl, std::string buffered, const ConnectionLimits& limits, Clock::time_point headDeadline);

    bool is_readable() const override;
    bool is_writable() const override;
    ssize_t read(char* ptr, size_t size) override;
    ssize_t write(const char* ptr, size_t size) override;
    void get_remote_ip_and_port(std::string& ip, int& port) const override;
    void get_local_ip_and_port(std::string& ip, int& port) const override;
    socket_t socket() const override { return fd_; }

    /// What was received but not consumed by this request (a pipelined next request).
    std::string takeBuffered();
    /// The head broke a limit or its deadline (the connection must close).
    bool headRefused() const { return headRefused_; }

private:
    bool waitReadable(int timeoutMs) const;
    ssize_t receive(char* ptr, size_t size);

    int fd_;
    SSL* ssl_;
    std::string buffered_;
    std::size_t bufferedPos_{0};
    const ConnectionLimits& limits_;
    Clock::time_point headDeadline_;
    HeadScanner head_;
    bool headRefused_{false};
};

} // namespace strata::remote

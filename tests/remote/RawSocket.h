#pragma once
// A raw TCP client for the hostile-client tests: sends exactly the bytes it is given, reads with a deadline.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <string>

namespace strata::test {

class RawSocket {
public:
    explicit RawSocket(int port)
    {
        fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(static_cast<std::uint16_t>(port));
        ::inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
        if (::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
            ::close(fd_);
            fd_ = -1;
        }
    }
    ~RawSocket()
    {
        if (fd_ >= 0) ::close(fd_);
    }
    RawSocket(const RawSocket&) = delete;
    RawSocket& operator=(const RawSocket&) = delete;

    bool connected() const { return fd_ >= 0; }

    /// Sends all bytes; false once the server closed the connection.
    bool send(const std::string& bytes)
    {
        std::size_t sent = 0;
        while (sent < bytes.size()) {
            const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
            if (n <= 0) return false;
            sent += static_cast<std::size_t>(n);
        }
        return true;
    }

    /// Reads until the server closes the connection or `seconds` pass. closed() tells which.
    std::string readAll(double seconds)
    {
        std::string out;
        const auto end = std::chrono::steady_clock::now() +
                         std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(seconds));
        while (std::chrono::steady_clock::now() < end && receiveSome(end, out)) {
        }
        return out;
    }

    /// Reads one response whose body has a Content-Length (or until close / timeout).
    std::string readResponse(double seconds)
    {
        std::string out;
        const auto end = std::chrono::steady_clock::now() +
                         std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(seconds));
        while (std::chrono::steady_clock::now() < end) {
            const auto head = out.find("\r\n\r\n");
            const auto cl = out.find("Content-Length: ");
            if (head != std::string::npos && cl != std::string::npos && cl < head &&
                out.size() >= head + 4 + std::stoul(out.substr(cl + 16))) {
                return out;
            }
            if (!receiveSome(end, out)) break;
        }
        return out;
    }

    bool closed() const { return closed_; }

private:
    /// Waits (until `end`) for bytes and appends them; false once the server closed or the time is up.
    bool receiveSome(std::chrono::steady_clock::time_point end, std::string& out)
    {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(std::max<long long>(0, left.count())) + 1) <= 0) return false;
        char buf[65536];
        const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
        if (n <= 0) {
            closed_ = true;
            return false;
        }
        out.append(buf, static_cast<std::size_t>(n));
        return true;
    }

    int fd_{-1};
    bool closed_{false};
};

/// Resident memory of a process (kB), from /proc.
inline long residentKb(pid_t pid)
{
    std::ifstream f("/proc/" + std::to_string(pid) + "/status");
    std::string key;
    while (f >> key) {
        if (key == "VmRSS:") {
            long kb = 0;
            f >> kb;
            return kb;
        }
        f.ignore(1 << 20, '\n');
    }
    return -1;
}

} // namespace strata::test

#include "HttpGate.h"

#include "SocketOps.h"
#include "strata/remote/Log.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <stdexcept>
#include <vector>

namespace strata::remote {

namespace {

std::string peerAddress(int fd)
{
    std::string ip = "?";
    int port = 0;
    socketAddress(fd, true, ip, port);
    return ip;
}

/// A last answer to a connection that is being closed (best effort: never blocks).
void answerAndClose(int fd, int status, const std::string& reason)
{
    if (status != 0) {
        const std::string body = std::string("{\"error\":{\"code\":\"connection_refused\",\"status\":") +
                                 std::to_string(status) + ",\"message\":\"" + reason + "\"}}";
        const char* text = status == 431 ? "Request Header Fields Too Large"
                           : status == 408 ? "Request Timeout"
                                           : "Service Unavailable";
        const std::string response = "HTTP/1.1 " + std::to_string(status) + " " + text +
                                     "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " +
                                     std::to_string(body.size()) + "\r\n\r\n" + body;
        [[maybe_unused]] const auto n = ::send(fd, response.data(), response.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    }
    ::shutdown(fd, SHUT_RDWR);
    ::close(fd);
}

} // namespace

HttpGate::HttpGate(const ConnectionLimits& limits, bool tls, Ready ready)
    : limits_(limits), tls_(tls), ready_(std::move(ready))
{
    epoll_ = ::epoll_create1(EPOLL_CLOEXEC);
    wake_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (epoll_ < 0 || wake_ < 0) throw std::runtime_error("Cannot create the connection gate (epoll/eventfd).");
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = wake_;
    ::epoll_ctl(epoll_, EPOLL_CTL_ADD, wake_, &ev);
    thread_ = std::thread([this] { run(); });
}

HttpGate::~HttpGate()
{
    stop();
    ::close(epoll_);
    ::close(wake_);
}

void HttpGate::stop()
{
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        stopping_ = true;
    }
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto n = ::write(wake_, &one, sizeof one);
    if (thread_.joinable()) thread_.join();
    std::lock_guard lock(mutex_);
    for (auto& [fd, w] : waiting_) answerAndClose(fd, 0, "");
    waiting_.clear();
    perAddress_.clear();
}

std::size_t HttpGate::waiting() const
{
    std::lock_guard lock(mutex_);
    return waiting_.size();
}

void HttpGate::admit(int fd, std::string received, std::size_t requestsServed)
{
    const auto now = Clock::now();
    Waiting w{peerAddress(fd), std::move(received), HeadScanner(limits_.maxHeadBytes, limits_.maxHeaderCount), now,
              now + limits_.headTimeout, requestsServed, false};
    if (!tls_ && !w.received.empty()) { // a pipelined next request may be complete already
        std::size_t used = 0;
        const auto state = w.head.feed(w.received.data(), w.received.size(), used);
        if (state == HeadScanner::State::Complete) {
            ready_(fd, std::move(w.received), requestsServed);
            return;
        }
        if (state != HeadScanner::State::NeedMore) {
            answerAndClose(fd, 431, "The request head is too large or has too many header lines.");
            return;
        }
    }
    if (requestsServed > 0 && w.received.empty()) { // idle between requests: the keep-alive limit applies first
        w.keptAlive = true;
        w.deadline = now + limits_.keepAliveTimeout;
    }
    std::unique_lock lock(mutex_);
    if (stopping_ || waiting_.size() >= limits_.maxWaiting) {
        lock.unlock();
        answerAndClose(fd, 503, "The server has too many connections waiting; try again later.");
        return;
    }
    // Over its share, an address loses the new connection that has waited longest for its first request head,
    // once that one has waited a second (a burst of prompt clients is never refused; kept-alive connections
    // between requests are bounded by the keep-alive timeout instead).
    if (w.requestsServed == 0 && perAddress_[w.address] >= limits_.maxWaitingPerAddress) {
        auto oldest = waiting_.end();
        for (auto it = waiting_.begin(); it != waiting_.end(); ++it) {
            const Waiting& o = it->second;
            if (o.requestsServed == 0 && o.address == w.address &&
                (oldest == waiting_.end() || o.admitted < oldest->second.admitted)) {
                oldest = it;
            }
        }
        if (oldest != waiting_.end() && now - oldest->second.admitted >= std::chrono::seconds(1)) {
            const int victim = oldest->first;
            forget(oldest);
            logEvent("warning", "connection_dropped", {{"remote", w.address}, {"reason", "too many waiting connections"}});
            answerAndClose(victim, 503, "Too many connections from this address are waiting to send their request.");
        }
    }
    if (w.requestsServed == 0) ++perAddress_[w.address];
    const auto added = waiting_.emplace(fd, std::move(w)).first;
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLRDHUP;
    ev.data.fd = fd;
    if (::epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &ev) != 0) {
        forget(added);
        lock.unlock();
        answerAndClose(fd, 503, "The server cannot take more connections now.");
    }
}

void HttpGate::run()
{
    std::vector<epoll_event> events(256);
    for (;;) {
        const int n = ::epoll_wait(epoll_, events.data(), static_cast<int>(events.size()), 200);
        {
            std::lock_guard lock(mutex_);
            if (stopping_) return;
        }
        for (int i = 0; i < n; ++i) {
            if (events[i].data.fd == wake_) continue;
            readFrom(events[i].data.fd);
        }
        expire(Clock::now());
    }
}

void HttpGate::readFrom(int fd)
{
    std::unique_lock lock(mutex_);
    auto it = waiting_.find(fd);
    if (it == waiting_.end()) return;
    Waiting& w = it->second;
    if (tls_) { // the handshake and the head are the worker's, under the same limits
        lock.unlock();
        handOn(fd);
        return;
    }
    char buf[16384];
    const std::size_t room = limits_.maxHeadBytes + 1 - std::min(limits_.maxHeadBytes, w.received.size());
    const ssize_t got = ::recv(fd, buf, std::min(sizeof buf, room), MSG_DONTWAIT);
    if (got == 0 || (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
        lock.unlock();
        drop(fd, 0, "");
        return;
    }
    if (got < 0) return;
    if (w.keptAlive) { // the next request started: from now on the head deadline applies
        w.keptAlive = false;
        w.deadline = Clock::now() + limits_.headTimeout;
    }
    w.received.append(buf, static_cast<std::size_t>(got));
    std::size_t used = 0;
    const auto state = w.head.feed(buf, static_cast<std::size_t>(got), used);
    lock.unlock();
    switch (state) {
    case HeadScanner::State::NeedMore:
        break;
    case HeadScanner::State::Complete:
        handOn(fd);
        break;
    case HeadScanner::State::TooLarge:
        drop(fd, 431, "The request line and headers may hold at most " + std::to_string(limits_.maxHeadBytes) + " bytes.");
        break;
    case HeadScanner::State::TooManyHeaders:
        drop(fd, 431, "A request may have at most " + std::to_string(limits_.maxHeaderCount) + " header lines.");
        break;
    }
}

void HttpGate::expire(Clock::time_point now)
{
    std::vector<std::pair<int, bool>> late; // fd, whether it had started a request
    {
        std::lock_guard lock(mutex_);
        for (const auto& [fd, w] : waiting_) {
            if (now >= w.deadline) late.emplace_back(fd, !w.received.empty() || !w.keptAlive);
        }
    }
    for (const auto& [fd, started] : late) { // a TLS client would not understand a plain-text answer
        drop(fd, started && !tls_ ? 408 : 0, "The request head did not arrive in time.");
    }
}

void HttpGate::drop(int fd, int status, const std::string& reason)
{
    std::unique_lock lock(mutex_);
    const auto it = waiting_.find(fd);
    if (it == waiting_.end()) return;
    if (status == 431 || status == 408) {
        logEvent("warning", "connection_refused", {{"remote", it->second.address}, {"status", status}, {"reason", reason}});
    }
    forget(it);
    lock.unlock();
    answerAndClose(fd, status, reason);
}

void HttpGate::handOn(int fd)
{
    std::unique_lock lock(mutex_);
    const auto it = waiting_.find(fd);
    if (it == waiting_.end()) return;
    std::string received = std::move(it->second.received);
    const std::size_t served = it->second.requestsServed;
    forget(it);
    lock.unlock();
    ready_(fd, std::move(received), served);
}

void HttpGate::forget(std::unordered_map<int, Waiting>::iterator it)
{
    ::epoll_ctl(epoll_, EPOLL_CTL_DEL, it->first, nullptr);
    if (it->second.requestsServed == 0 && --perAddress_[it->second.address] == 0) perAddress_.erase(it->second.address);
    waiting_.erase(it);
}

} // namespace strata::remote

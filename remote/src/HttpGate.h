#pragma once

#include "ConnectionLimits.h"
#include "HeadScanner.h"

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>

namespace strata::remote {

/// Holds client connections that have not yet sent a complete request head, without a thread each: one epoll
/// thread collects the head bytes of every waiting connection and hands a connection to the server's workers
/// only once its head is complete (plain HTTP) or its first bytes arrived (TLS, whose head is read after the
/// handshake by the worker under the same limits). Enforces ConnectionLimits: head size and header count (431),
/// head deadline (408), connections waiting per client address (the oldest is dropped) and in all (503).
/// Slow or silent clients therefore cost a socket and at most maxHeadBytes of memory, never a worker.
class HttpGate {
public:
    using Clock = std::chrono::steady_clock;
    /// A connection is ready: `received` holds what was read so far (the whole head for plain HTTP, maybe more).
    using Ready = std::function<void(int fd, std::string received, std::size_t requestsServed)>;

    HttpGate(const ConnectionLimits& limits, bool tls, Ready ready);
    ~HttpGate();
    HttpGate(const HttpGate&) = delete;
    HttpGate& operator=(const HttpGate&) = delete;

    /// Takes ownership of a connection: a new one (requestsServed 0) or a kept-alive one between requests, with
    /// the bytes of its next request already received.
    void admit(int fd, std::string received, std::size_t requestsServed);
    /// Closes every waiting connection and stops the thread.
    void stop();
    /// Connections waiting now.
    std::size_t waiting() const;

private:
    struct Waiting {
        std::string address;
        std::string received;
        HeadScanner head;
        Clock::time_point admitted;
        Clock::time_point deadline;
        std::size_t requestsServed;
        bool keptAlive;
    };

    void run();
    void readFrom(int fd);
    void expire(Clock::time_point now);
    /// Removes fd from the waiting set; with a status, answers it first; closes it unless handed on.
    void drop(int fd, int status, const std::string& reason);
    void handOn(int fd);
    /// Takes a connection out of the waiting set and epoll (mutex_ held); does not close it.
    void forget(std::unordered_map<int, Waiting>::iterator it);

    const ConnectionLimits& limits_;
    const bool tls_;
    Ready ready_;
    int epoll_{-1};
    int wake_{-1};
    bool stopping_{false};
    mutable std::mutex mutex_;
    std::unordered_map<int, Waiting> waiting_;
    std::map<std::string, std::size_t> perAddress_; ///< new connections (no request served yet) per address
    std::thread thread_;
};

} // namespace strata::remote

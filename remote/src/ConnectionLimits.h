#pragma once

#include <chrono>
#include <cstddef>

namespace strata::remote {

/// What one client connection may cost the server before it has said anything (see remote/README.md, "Threat
/// model"): these hold before authentication, so they are what an anonymous attacker meets.
struct ConnectionLimits {
    std::size_t maxHeadBytes{64 * 1024};            ///< request line + headers; more: 431 and the connection closes
    std::size_t maxHeaderCount{100};                ///< header lines; more: 431
    std::chrono::milliseconds headTimeout{10'000};  ///< from accept (or the first byte of a kept-alive
                                                     ///< request) to the end of the head; later: 408 and close
    std::chrono::milliseconds keepAliveTimeout{5'000}; ///< idle time between requests of one connection
    std::size_t maxWaitingPerAddress{64};           ///< new connections of one client address still sending their
                                                     ///< first head; more: the oldest of them (if it waited 1 s) goes
    std::size_t maxWaiting{4096};                   ///< connections still sending their head, all clients; more: 503
    std::size_t keepAliveMaxRequests{1000};
    int workerThreads{128};                         ///< requests served at once (an event stream holds one)
    int readTimeoutSeconds{20};                     ///< longest wait for one read of a body
    int writeTimeoutSeconds{60};
};

} // namespace strata::remote

#pragma once

#include "AuthThrottle.h"
#include "ServerContext.h"

#include <httplib.h>

#include <optional>
#include <string>

namespace strata::remote {

/// Who sent a request: a token id (or "anonymous" on loopback with --allow-anonymous), and whether it is an admin.
struct Caller {
    std::string tokenId;
    bool admin{false};
};

/// Who may ask: bearer tokens against the store, anonymous loopback callers (--allow-anonymous), the client's
/// address behind a trusted proxy, and the per-address throttle of requests without a valid token.
class AuthService {
public:
    explicit AuthService(ServerContext& ctx) : ctx_(ctx), throttle_(ctx.config.authFailuresPerMinute) {}

    /// The caller of a request with a valid token (or an anonymous loopback one); nothing otherwise.
    [[nodiscard]] std::optional<Caller> authenticate(const httplib::Request& req);
    /// The caller, or HttpError 401 unauthorized.
    [[nodiscard]] Caller caller(const httplib::Request& req);

    /// The client's address: the peer's, or for a trusted proxy (--trusted-proxies) the last X-Forwarded-For entry.
    [[nodiscard]] std::string clientAddress(const httplib::Request& req) const;
    /// Seconds the request's address must wait before it is heard again (0: now).
    [[nodiscard]] int retryAfterSeconds(const httplib::Request& req) { return throttle_.retryAfterSeconds(clientAddress(req)); }
    /// Counts a request without a valid token against its address.
    void recordFailure(const httplib::Request& req) { throttle_.failed(clientAddress(req)); }

private:
    ServerContext& ctx_;
    AuthThrottle throttle_;
};

} // namespace strata::remote

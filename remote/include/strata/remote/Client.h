#pragma once

#include "strata/core/Error.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <memory>
#include <ostream>
#include <string>

namespace strata::remote {

/// Where a server is and how to trust it.
struct Endpoint {
    std::string url;          ///< http(s)://host[:port][/prefix]
    std::string token;        ///< bearer token ("" for a loopback server started with --allow-anonymous)
    std::string caCertFile;   ///< extra trusted CA / self-signed certificate (PEM); else the system store
    std::string pinnedSha256; ///< accept exactly this certificate (SHA-256 fingerprint), whoever signed it
    int timeoutSeconds{30};
};

/// A request to the server that did not get an answer, or got an error answer. what() says what is wrong in
/// words a user can act on; kind() is for code (the Connections dialog, tests).
class RemoteError : public Error {
public:
    enum class Kind { BadUrl, Dns, Refused, Timeout, Tls, TlsPin, Network, Unauthorized, ApiMismatch, Http };
    RemoteError(Kind kind, const std::string& message, int status = 0, nlohmann::json body = {})
        : Error(message), kind_(kind), status_(status), body_(std::move(body))
    {
    }
    Kind kind() const { return kind_; }
    int status() const { return status_; }
    const nlohmann::json& body() const { return body_; }

private:
    Kind kind_;
    int status_;
    nlohmann::json body_;
};

/// A JSON answer: status and parsed body (null when not JSON).
struct ApiResponse {
    int status{0};
    nlohmann::json body;
    std::string errorMessage() const; ///< the server's error.message, or "HTTP <status>"
};

/// One connection to a server's /api/v1 (not thread-safe: one per thread). Transport failures throw
/// RemoteError; HTTP error statuses are returned (use expect()).
class ApiClient {
public:
    explicit ApiClient(const Endpoint& endpoint);
    ~ApiClient();
    ApiClient(const ApiClient&) = delete;
    ApiClient& operator=(const ApiClient&) = delete;

    ApiResponse get(const std::string& path);
    ApiResponse post(const std::string& path, const nlohmann::json& body);
    ApiResponse postRaw(const std::string& path, const std::string& body, const std::string& contentType);
    ApiResponse put(const std::string& path, const std::string& bytes);
    ApiResponse del(const std::string& path);
    /// Streams a body (SSE, downloads). receive returns false to stop. Returns the HTTP status.
    int stream(const std::string& path, const std::function<bool(const char*, std::size_t)>& receive);

    /// Throws RemoteError (Unauthorized for 401, Http otherwise) unless status is one of the expected ones.
    static const ApiResponse& expect(const ApiResponse& r, std::initializer_list<int> ok, const std::string& what);

    const Endpoint& endpoint() const { return endpoint_; }
    /// "https://host:port" part of the URL.
    std::string origin() const;

private:
    struct Impl;
    Endpoint endpoint_;
    std::unique_ptr<Impl> impl_;
};

/// What "Test connection" found: ok with the server's /version, or the first thing that is wrong.
struct ConnectionReport {
    bool ok{false};
    RemoteError::Kind problem{RemoteError::Kind::Http};
    std::string message; ///< one or two sentences for people
    nlohmann::json version; ///< /api/v1/version when ok
};

/// Checks, in order: the URL, DNS, a TCP connection, TLS (certificate or pin), the token, the API version.
ConnectionReport testConnection(const Endpoint& endpoint);

} // namespace strata::remote

#pragma once

#include "strata/Error.h"

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
    [[nodiscard]] Kind kind() const { return kind_; }
    [[nodiscard]] int status() const { return status_; } ///< the HTTP status, or 0 when no answer came
    [[nodiscard]] const nlohmann::json& body() const { return body_; }

private:
    Kind kind_;
    int status_;
    nlohmann::json body_;
};

/// A JSON answer: status and parsed body (null when not JSON).
struct ApiResponse {
    int status{0};
    nlohmann::json body;
    [[nodiscard]] std::string errorMessage() const; ///< the server's error.message, or "HTTP <status>"
};

/// One connection to a server's /api/v1 (not thread-safe: one per thread). Paths are relative to the API prefix.
/// Transport failures (DNS, refused, TLS, timeout) throw RemoteError; HTTP error statuses are returned (check
/// them with expect()).
///
/// @code
///   remote::Endpoint server{"https://imaging.example.org:8443", token};
///   remote::ApiClient client(server);
///   const auto pipelines = remote::ApiClient::expect(client.get("/pipelines"), {200}, "Listing pipelines").body;
///   const auto job = client.get("/jobs/" + id);
///   if (job.status == 404) { /* gone */ }
///   else if (job.status != 200) throw std::runtime_error(job.errorMessage());
/// @endcode
class ApiClient {
public:
    explicit ApiClient(const Endpoint& endpoint);
    ~ApiClient();
    ApiClient(const ApiClient&) = delete;
    ApiClient& operator=(const ApiClient&) = delete;

    [[nodiscard]] ApiResponse get(const std::string& path);
    ApiResponse post(const std::string& path, const nlohmann::json& body);
    ApiResponse postRaw(const std::string& path, const std::string& body, const std::string& contentType);
    ApiResponse put(const std::string& path, const std::string& bytes);
    ApiResponse del(const std::string& path);
    /// Streams a body (SSE, downloads). receive returns false to stop. Returns the HTTP status.
    int stream(const std::string& path, const std::function<bool(const char*, std::size_t)>& receive);

    /// Throws RemoteError (Unauthorized for 401, Http otherwise) unless status is one of the expected ones.
    static const ApiResponse& expect(const ApiResponse& r, std::initializer_list<int> ok, const std::string& what);

    [[nodiscard]] const Endpoint& endpoint() const { return endpoint_; }
    /// "https://host:port" part of the URL.
    [[nodiscard]] std::string origin() const;

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
/// Never throws for a server that cannot be reached: the report says what is wrong.
[[nodiscard]] ConnectionReport testConnection(const Endpoint& endpoint);

} // namespace strata::remote

#include "strata/remote/Client.h"

#include "strata/Error.h"
#include "strata/JsonLimits.h"
#include "strata/remote/Api.h"
#include "strata/remote/Tls.h"

#include <httplib.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <mutex>
#include <cstring>
#include <fcntl.h>
#include <regex>

namespace strata::remote {

using nlohmann::json;

namespace {

struct ParsedUrl {
    bool https{false};
    std::string host;
    int port{0};
    std::string prefix;
};

ParsedUrl parseUrl(const std::string& url)
{
    static const std::regex re(R"(^(https?)://(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9._-]+)(?::([0-9]{1,5}))?(/[^?#]*)?$)");
    std::smatch m;
    if (!std::regex_match(url, m, re)) {
        throw RemoteError(RemoteError::Kind::BadUrl,
                          "'" + url + "' is not a server URL; it should look like https://gpu-box.example.org:8443.");
    }
    ParsedUrl p;
    p.https = m[1] == "https";
    p.host = m[2];
    if (p.host.front() == '[') p.host = p.host.substr(1, p.host.size() - 2);
    p.port = m[3].matched ? std::stoi(m[3]) : (p.https ? 443 : 80);
    p.prefix = m[4].matched ? m[4].str() : "";
    while (!p.prefix.empty() && p.prefix.back() == '/') p.prefix.pop_back();
    return p;
}

/// The certificate pin lives in the SSL_CTX's app data; OpenSSL calls this for each certificate of the chain.
struct Pin {
    std::string expected; // upper-case hex
    std::string seen;
    bool mismatch{false};
};

int verifyPinned(int /*preverifyOk*/, X509_STORE_CTX* store)
{
    if (X509_STORE_CTX_get_error_depth(store) != 0) return 1; // only the server's own certificate counts
    auto* ssl = static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
    auto* pin = static_cast<Pin*>(SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl)));
    X509* cert = X509_STORE_CTX_get_current_cert(store);
    if (!pin || !cert) return 0;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    X509_digest(cert, EVP_sha256(), md, &n);
    std::string hex;
    char b[3];
    for (unsigned i = 0; i < n; ++i) {
        std::snprintf(b, sizeof b, "%02X", md[i]);
        hex += b;
    }
    pin->seen = hex;
    pin->mismatch = hex != pin->expected;
    return pin->mismatch ? 0 : 1;
}

std::string withColons(const std::string& hex)
{
    std::string out;
    for (std::size_t i = 0; i < hex.size(); i += 2) out += (i ? ":" : "") + hex.substr(i, 2);
    return out;
}

} // namespace

std::string ApiResponse::errorMessage() const
{
    if (body.is_object() && body.contains("error") && body["error"].is_object()) {
        return body["error"].value("message", "HTTP " + std::to_string(status));
    }
    return "HTTP " + std::to_string(status);
}

struct ApiClient::Impl {
    ParsedUrl url;
    std::unique_ptr<httplib::Client> http;
    Pin pin;
    httplib::Headers headers;

    [[noreturn]] void fail(httplib::Error error)
    {
        const std::string where = url.host + ":" + std::to_string(url.port);
        using K = RemoteError::Kind;
        switch (error) {
        case httplib::Error::Connection:
            throw RemoteError(K::Refused, "Cannot connect to " + where + " (nothing listening, or a firewall).");
        case httplib::Error::ConnectionTimeout:
            throw RemoteError(K::Timeout, "Connecting to " + where + " timed out.");
        case httplib::Error::SSLServerVerification: {
            const long code = http->get_openssl_verify_result();
            std::string why = code ? X509_verify_cert_error_string(code) : "the name does not match the certificate";
            throw RemoteError(K::Tls, "The server's TLS certificate is not trusted: " + why +
                                          ". Use the server's CA certificate, or pin its SHA-256 fingerprint.");
        }
        case httplib::Error::SSLConnection:
            if (pin.mismatch) {
                throw RemoteError(K::TlsPin, "The server's certificate (SHA-256 " + withColons(pin.seen) +
                                                 ") is not the pinned one. If the server's certificate was replaced, "
                                                 "update the pin; otherwise someone may be intercepting the connection.");
            }
            throw RemoteError(K::Tls, "The TLS handshake with " + where +
                                          " failed (is it really HTTPS there, or plain HTTP?).");
        case httplib::Error::SSLLoadingCerts:
            throw RemoteError(K::Tls, "Cannot load the trusted certificates (CA file or the system store).");
        case httplib::Error::Read:
        case httplib::Error::Write:
            throw RemoteError(K::Network, "The connection to " + where + " broke (" + httplib::to_string(error) +
                                              "); if the server speaks HTTPS, use an https:// URL.");
        default:
            throw RemoteError(K::Network, "Request to " + where + " failed: " + httplib::to_string(error) + ".");
        }
    }

    std::string full(const std::string& path) const { return url.prefix + kApiPrefix + path; }

    /// A kept-alive connection can be closed by the server just as the next request goes out (the request then
    /// fails to write or its answer cannot be read). Requests that can safely run twice are sent once more on a
    /// fresh connection; a job submission is not, so it can never start twice.
    template <typename Send>
    httplib::Result send(bool idempotent, Send&& request)
    {
        auto r = request();
        if (!r && idempotent && (r.error() == httplib::Error::Read || r.error() == httplib::Error::Write)) {
            r = request();
        }
        if (!r) fail(r.error());
        return r;
    }
};

namespace {

/// POSTs that may run twice: starting a content-addressed upload and cancelling a job.
bool idempotentPost(const std::string& path)
{
    return path == "/uploads" || (path.size() > 7 && path.compare(path.size() - 7, 7, "/cancel") == 0);
}

} // namespace

ApiClient::ApiClient(const Endpoint& endpoint) : endpoint_(endpoint), impl_(std::make_unique<Impl>())
{
    // OpenSSL writes with write(2): a server that closed an idle keep-alive TLS connection would otherwise kill
    // the whole process (GUI, CLI) with SIGPIPE instead of giving a write error that the client retries.
    static std::once_flag ignoreSigpipe;
    std::call_once(ignoreSigpipe, [] { std::signal(SIGPIPE, SIG_IGN); });
    auto& d = *impl_;
    d.url = parseUrl(endpoint.url);
    const std::string origin = (d.url.https ? "https://" : "http://") +
                               (d.url.host.find(':') != std::string::npos ? "[" + d.url.host + "]" : d.url.host) + ":" +
                               std::to_string(d.url.port);
    d.http = std::make_unique<httplib::Client>(origin);
    d.http->set_connection_timeout(std::min(endpoint.timeoutSeconds, 10), 0);
    d.http->set_read_timeout(endpoint.timeoutSeconds, 0);
    d.http->set_write_timeout(endpoint.timeoutSeconds, 0);
    d.http->set_keep_alive(true);
    d.http->set_tcp_nodelay(true);
    if (d.url.https) {
        if (!endpoint.pinnedSha256.empty()) {
            d.pin.expected = normaliseFingerprint(endpoint.pinnedSha256);
            if (d.pin.expected.empty()) {
                throw RemoteError(RemoteError::Kind::BadUrl,
                                  "The pinned fingerprint must be 64 hex digits (SHA-256), colons allowed.");
            }
            d.http->enable_server_certificate_verification(false); // the pin replaces chain and name checks
            SSL_CTX* ctx = d.http->ssl_context();
            SSL_CTX_set_app_data(ctx, &d.pin);
            SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, verifyPinned);
        } else {
            d.http->enable_server_certificate_verification(true);
            if (!endpoint.caCertFile.empty()) d.http->set_ca_cert_path(endpoint.caCertFile);
        }
    }
    if (!endpoint.token.empty()) d.headers.emplace("Authorization", "Bearer " + endpoint.token);
}

ApiClient::~ApiClient() = default;

std::string ApiClient::origin() const
{
    return std::string(impl_->url.https ? "https://" : "http://") + impl_->url.host + ":" + std::to_string(impl_->url.port);
}

namespace {

ApiResponse toResponse(const httplib::Result& r)
{
    ApiResponse out;
    out.status = r->status;
    try {
        out.body = parseJson(r->body, false); // a hostile server cannot crash the client with deep JSON either
    } catch (const InvalidArgument&) {
        out.body = json(json::value_t::discarded);
    }
    if (out.body.is_discarded()) out.body = nullptr;
    return out;
}

} // namespace

ApiResponse ApiClient::get(const std::string& path)
{
    auto r = impl_->send(true, [&] { return impl_->http->Get(impl_->full(path), impl_->headers); });
    return toResponse(r);
}

ApiResponse ApiClient::post(const std::string& path, const json& body)
{
    const std::string text = body.dump();
    auto r = impl_->send(idempotentPost(path),
                         [&] { return impl_->http->Post(impl_->full(path), impl_->headers, text, "application/json"); });
    return toResponse(r);
}

ApiResponse ApiClient::postRaw(const std::string& path, const std::string& body, const std::string& contentType)
{
    auto r = impl_->send(idempotentPost(path),
                         [&] { return impl_->http->Post(impl_->full(path), impl_->headers, body, contentType.c_str()); });
    return toResponse(r);
}

ApiResponse ApiClient::put(const std::string& path, const std::string& bytes)
{
    // An upload chunk names its offset: sending it twice writes the same bytes at the same place.
    auto r = impl_->send(true, [&] { return impl_->http->Put(impl_->full(path), impl_->headers, bytes, "application/octet-stream"); });
    return toResponse(r);
}

ApiResponse ApiClient::del(const std::string& path)
{
    auto r = impl_->send(true, [&] { return impl_->http->Delete(impl_->full(path), impl_->headers); });
    return toResponse(r);
}

int ApiClient::stream(const std::string& path, const std::function<bool(const char*, std::size_t)>& receive)
{
    int status = 0;
    std::string errorBody;
    auto r = impl_->http->Get(
        impl_->full(path), impl_->headers,
        [&](const httplib::Response& res) {
            status = res.status;
            return true;
        },
        [&](const char* data, size_t n) {
            if (status != 200) {
                errorBody.append(data, n);
                return true;
            }
            return receive(data, n);
        });
    if (!r) {
        if (r.error() == httplib::Error::Canceled) return status; // the receiver stopped it
        impl_->fail(r.error());
    }
    return r->status;
}

const ApiResponse& ApiClient::expect(const ApiResponse& r, std::initializer_list<int> ok, const std::string& what)
{
    for (int s : ok) {
        if (r.status == s) return r;
    }
    if (r.status == 401) {
        throw RemoteError(RemoteError::Kind::Unauthorized,
                          "The server refused the token (missing, wrong or revoked): " + what + " was not allowed.", 401,
                          r.body);
    }
    throw RemoteError(RemoteError::Kind::Http, what + " failed: " + r.errorMessage(), r.status, r.body);
}

namespace {

/// Resolves and connects once, to tell "no such name" from "nothing listening" from "no answer".
void probeTcp(const ParsedUrl& url, int timeoutSeconds)
{
    using K = RemoteError::Kind;
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* result = nullptr;
    const int rc = ::getaddrinfo(url.host.c_str(), std::to_string(url.port).c_str(), &hints, &result);
    if (rc != 0) {
        throw RemoteError(K::Dns, "The name '" + url.host + "' does not resolve (" + gai_strerror(rc) +
                                      "): check the spelling or the DNS record.");
    }
    std::string lastError = "no address";
    K kind = K::Refused;
    for (addrinfo* a = result; a; a = a->ai_next) {
        const int fd = ::socket(a->ai_family, a->ai_socktype, a->ai_protocol);
        if (fd < 0) continue;
        ::fcntl(fd, F_SETFL, O_NONBLOCK);
        int err = ::connect(fd, a->ai_addr, a->ai_addrlen) == 0 ? 0 : errno;
        if (err == EINPROGRESS) {
            pollfd p{fd, POLLOUT, 0};
            const int n = ::poll(&p, 1, timeoutSeconds * 1000);
            if (n == 0) {
                err = ETIMEDOUT;
            } else {
                socklen_t len = sizeof err;
                ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
            }
        }
        ::close(fd);
        if (err == 0) {
            ::freeaddrinfo(result);
            return;
        }
        lastError = std::strerror(err);
        kind = err == ETIMEDOUT ? K::Timeout : K::Refused;
    }
    ::freeaddrinfo(result);
    const std::string where = url.host + ":" + std::to_string(url.port);
    if (kind == K::Timeout) {
        throw RemoteError(K::Timeout, "No answer from " + where + " within " + std::to_string(timeoutSeconds) +
                                          " s (a firewall, a wrong address, or the machine is off).");
    }
    throw RemoteError(K::Refused, "Nothing is listening on " + where + " (" + lastError +
                                      "): is strata-server running, and on this port?");
}

} // namespace

ConnectionReport testConnection(const Endpoint& endpoint)
{
    ConnectionReport report;
    try {
        const ParsedUrl url = parseUrl(endpoint.url);
        probeTcp(url, std::min(endpoint.timeoutSeconds, 10));
        ApiClient client(endpoint);
        const ApiResponse r = client.get("/version");
        if (r.status == 401) {
            throw RemoteError(RemoteError::Kind::Unauthorized,
                              endpoint.token.empty() ? "The server needs a token; none was given."
                                                     : "The server refused the token (wrong, revoked or for another "
                                                       "server). Create one with 'strata-server token create'.");
        }
        if (r.status == 404 || !r.body.is_object() || !r.body.contains("api_version")) {
            throw RemoteError(RemoteError::Kind::ApiMismatch,
                              "The server at " + endpoint.url + " does not speak Strata's API v" +
                                  std::to_string(kApiVersion) + " (HTTP " + std::to_string(r.status) +
                                  "): an older or newer strata-server, or not a Strata server at all.");
        }
        if (r.body["api_version"] != kApiVersion) {
            throw RemoteError(RemoteError::Kind::ApiMismatch,
                              "API version mismatch: the server speaks v" + r.body["api_version"].dump() +
                                  ", this workstation v" + std::to_string(kApiVersion) + ". Update one of them.");
        }
        ApiClient::expect(r, {200}, "Asking for the version");
        report.ok = true;
        report.version = r.body;
        const std::string device = r.body["device"].value("summary", "unknown device");
        report.message = "Connected: strata-server " + r.body["server"].value("version", "?") + ", API v" +
                         std::to_string(kApiVersion) + ", " + device + ".";
    } catch (const RemoteError& e) {
        report.ok = false;
        report.problem = e.kind();
        report.message = e.what();
    } catch (const std::exception& e) {
        report.ok = false;
        report.problem = RemoteError::Kind::Network;
        report.message = e.what();
    }
    return report;
}

} // namespace strata::remote

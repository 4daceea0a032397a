#include "GuardedHttpServer.h"

#include "ConnectionStream.h"
#include "SocketOps.h"
#include "strata/Error.h"

#include <openssl/err.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace strata::remote {

namespace {

SSL_CTX* serverTlsContext(const std::filesystem::path& cert, const std::filesystem::path& key)
{
    SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
    if (!ctx) throw Error("Cannot create a TLS context.");
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_SESSION_RESUMPTION_ON_RENEGOTIATION |
                                 SSL_OP_NO_RENEGOTIATION);
    if (SSL_CTX_use_certificate_chain_file(ctx, cert.c_str()) != 1 ||
        SSL_CTX_use_PrivateKey_file(ctx, key.c_str(), SSL_FILETYPE_PEM) != 1 || SSL_CTX_check_private_key(ctx) != 1) {
        SSL_CTX_free(ctx);
        ERR_clear_error();
        throw Error("Cannot use the TLS certificate '" + cert.string() + "' with key '" + key.string() +
                    "' (missing, unreadable or not a matching pair).");
    }
    return ctx;
}

void setNonBlocking(int fd)
{
    const int flags = ::fcntl(fd, F_GETFL, 0);
    if (flags >= 0) ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

} // namespace

GuardedHttpServer::GuardedHttpServer(const ConnectionLimits& limits, const std::filesystem::path& tlsCert,
                                     const std::filesystem::path& tlsKey)
    : limits_(limits), tls_(tlsCert.empty() ? nullptr : serverTlsContext(tlsCert, tlsKey)),
      workers_(std::make_unique<httplib::ThreadPool>(static_cast<size_t>(std::max(2, limits.workerThreads)))),
      gate_(limits_, tls_ != nullptr,
            [this](int fd, std::string received, std::size_t served) {
                workers_->enqueue([this, fd, received = std::move(received), served]() mutable {
                    serve(fd, std::move(received), served);
                });
            })
{
    // httplib's own pool only hands accepted sockets to the gate: two threads are plenty.
    new_task_queue = [] { return new httplib::ThreadPool(2); };
    set_read_timeout(limits_.readTimeoutSeconds);
    set_write_timeout(limits_.writeTimeoutSeconds);
}

GuardedHttpServer::~GuardedHttpServer()
{
    closeConnections();
    if (tls_) SSL_CTX_free(tls_);
}

void GuardedHttpServer::setListenBacklog(int backlog)
{
    if (svr_sock_ != INVALID_SOCKET) ::listen(svr_sock_, backlog);
}

void GuardedHttpServer::closeConnections()
{
    if (closing_.exchange(true)) return;
    gate_.stop();
    {
        std::lock_guard lock(activeMutex_);
        for (const int fd : active_) ::shutdown(fd, SHUT_RDWR); // blocked reads and writes return at once
    }
    workers_->shutdown();
}

bool GuardedHttpServer::process_and_close_socket(socket_t sock)
{
    if (closing_) {
        ::close(sock);
        return false;
    }
    gate_.admit(sock, {}, 0);
    return true;
}

bool GuardedHttpServer::handshake(int fd, SSL* ssl)
{
    const auto deadline = HttpGate::Clock::now() + limits_.headTimeout;
    SSL_set_fd(ssl, fd);
    for (;;) {
        const int rc = SSL_accept(ssl);
        if (rc == 1) return true;
        const int err = SSL_get_error(ssl, rc);
        if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE) return false;
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - HttpGate::Clock::now()).count();
        if (left <= 0) return false;
        if (!waitForSocket(fd, err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, static_cast<int>(left))) return false;
    }
}

void GuardedHttpServer::finish(int fd, SSL* ssl)
{
    {
        std::lock_guard lock(activeMutex_);
        active_.erase(fd);
    }
    if (ssl) {
        SSL_shutdown(ssl);
        SSL_free(ssl);
        ERR_clear_error();
    }
    ::shutdown(fd, SHUT_RDWR);
    ::close(fd);
}

void GuardedHttpServer::serve(int fd, std::string received, std::size_t requestsServed)
{
    {
        std::lock_guard lock(activeMutex_);
        if (closing_) {
            ::close(fd);
            return;
        }
        active_.insert(fd);
    }
    SSL* ssl = nullptr;
    if (tls_) {
        setNonBlocking(fd); // every TLS read and write waits in poll() under a deadline (ConnectionStream)
        ssl = SSL_new(tls_);
        if (!ssl || !handshake(fd, ssl)) {
            finish(fd, ssl);
            return;
        }
    }
    auto headDeadline = HttpGate::Clock::now() + limits_.headTimeout;
    for (;;) {
        ConnectionStream stream(fd, ssl, std::move(received), limits_, headDeadline);
        ++requestsServed;
        const bool last = closing_ || requestsServed >= limits_.keepAliveMaxRequests;
        bool closed = false;
        const bool ok = process_request(stream, last, closed, [ssl](httplib::Request& req) { req.ssl = ssl; });
        if (!ok || closed || last || stream.headRefused()) break;
        received = stream.takeBuffered();
        if (!ssl) { // plain: wait for the next request in the gate, not on this thread
            {
                std::lock_guard lock(activeMutex_);
                active_.erase(fd);
            }
            gate_.admit(fd, std::move(received), requestsServed);
            return;
        }
        // TLS keeps its session on this thread: the idle wait between requests is bounded by the keep-alive limit.
        if (received.empty() && SSL_pending(ssl) == 0) {
            if (!waitForSocket(fd, POLLIN, static_cast<int>(limits_.keepAliveTimeout.count()))) break;
        }
        headDeadline = HttpGate::Clock::now() + limits_.headTimeout;
    }
    finish(fd, ssl);
}

} // namespace strata::remote

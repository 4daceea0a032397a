#pragma once

#include "ConnectionLimits.h"
#include "HttpGate.h"

#include <httplib.h>
#include <openssl/ssl.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <mutex>
#include <set>

namespace strata::remote {

/// httplib::Server with the connection handling an Internet-facing server needs (cpp-httplib 0.11 has no limit on
/// header count or size, no deadline for the request head and a thread per connection from accept on): every
/// accepted connection goes to an HttpGate first and reaches a worker thread only with a complete request head;
/// requests are then processed by httplib's own request code over a ConnectionStream. Serves HTTPS itself when
/// given a certificate (the TLS handshake and head are read by the worker under the same limits).
class GuardedHttpServer : public httplib::Server {
public:
    /// Plain HTTP with no certificate; HTTPS otherwise. Throws Error when the certificate/key pair is unusable.
    GuardedHttpServer(const ConnectionLimits& limits, const std::filesystem::path& tlsCert = {},
                      const std::filesystem::path& tlsKey = {});
    ~GuardedHttpServer() override;

    /// Sets the listen backlog of the bound socket (httplib's is 5). Call after bind.
    void setListenBacklog(int backlog);
    /// After stop(): closes waiting and active connections and joins the workers.
    void closeConnections();
    std::size_t waitingConnections() const { return gate_.waiting(); }

private:
    bool process_and_close_socket(socket_t sock) override;
    void serve(int fd, std::string received, std::size_t requestsServed);
    bool handshake(int fd, SSL* ssl);
    void finish(int fd, SSL* ssl);

    ConnectionLimits limits_;
    SSL_CTX* tls_{nullptr};
    std::unique_ptr<httplib::ThreadPool> workers_;
    HttpGate gate_;
    std::mutex activeMutex_;
    std::set<int> active_;
    std::atomic<bool> closing_{false};
};

} // namespace strata::remote

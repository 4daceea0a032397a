#pragma once

#include <string>

namespace strata::remote {

/// The address of a connected socket's peer (peer = true) or of its own end, as text ("127.0.0.1", "::1") and port;
/// left unchanged when the socket has none.
void socketAddress(int fd, bool peer, std::string& ip, int& port);

/// Waits up to timeoutMs for `events` (POLLIN, POLLOUT) on a socket; true when they (or a hang-up or error, which
/// the next read or write reports) arrived. Retries on EINTR.
bool waitForSocket(int fd, short events, int timeoutMs);

} // namespace strata::remote

#pragma once
// A private redis-server for the `remote` tests and benches: 127.0.0.1, a free port, a data folder with the
// append-only file, stopped at the end. restart() starts it again on the same port and folder (AOF replay).

#include "ChildProcess.h"
#include "strata/remote/RedisClient.h"

#include <netinet/in.h>
#include <sys/socket.h>

namespace strata::test {

inline int freeLoopbackPort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    ::close(fd);
    return ntohs(addr.sin_port);
}

inline std::string redisServerPath()
{
    for (const char* p : {"/usr/bin/redis-server", "/usr/local/bin/redis-server"}) {
        if (std::filesystem::exists(p)) return p;
    }
    return "";
}

class RedisProcess {
public:
    /// fsync: "always" makes a kill -9 lose nothing; "everysec" is the deployment default (up to 1 s lost).
    explicit RedisProcess(std::filesystem::path dir, std::string fsync = "everysec")
        : dir_(std::move(dir)), fsync_(std::move(fsync)), port_(freeLoopbackPort())
    {
    }
    ~RedisProcess() { process_.stop(); }

    bool start()
    {
        std::filesystem::create_directories(dir_);
        process_.start({redisServerPath(), "--port", std::to_string(port_), "--bind", "127.0.0.1", "--dir", dir_.string(),
                        "--appendonly", "yes", "--appendfsync", fsync_, "--save", "", "--daemonize", "no",
                        "--protected-mode", "no"},
                       dir_ / "redis");
        for (int i = 0; i < 200; ++i) {
            try {
                remote::RedisClient c(remote::RedisUrl::parse(url()));
                if (c.command({"PING"}).str == "PONG") return true;
            } catch (const std::exception&) {
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return false;
    }
    void kill9() { process_.kill9(); }
    void stop() { process_.stop(); }
    std::string url() const { return "redis://127.0.0.1:" + std::to_string(port_); }
    int port() const { return port_; }

private:
    std::filesystem::path dir_;
    std::string fsync_;
    int port_;
    ChildProcess process_;
};

} // namespace strata::test

#pragma once

#include "strata/Error.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <vector>

struct redisContext;

namespace strata::remote {

/// The queue (Redis) cannot be reached: strata-server and strata-worker exit with kQueueUnavailableExit.
struct QueueUnavailable : Error {
    using Error::Error;
};
inline constexpr int kQueueUnavailableExit = 3;

/// redis://[:password@]host[:port][/db]. The password may also come from STRATA_REDIS_PASSWORD.
struct RedisUrl {
    std::string host{"127.0.0.1"};
    int port{6379};
    int db{0};
    std::string password;

    /// Throws InvalidArgument naming what is wrong.
    [[nodiscard]] static RedisUrl parse(const std::string& url, const std::string& password = "");
    /// Without the password.
    [[nodiscard]] std::string display() const;
};

/// One reply, copied out of hiredis.
struct RedisReply {
    enum class Type { Nil, String, Status, Integer, Array, Error };
    Type type{Type::Nil};
    std::string str;
    long long integer{0};
    std::vector<RedisReply> elements;

    [[nodiscard]] bool nil() const { return type == Type::Nil; }
    [[nodiscard]] bool error() const { return type == Type::Error; }
};

/// A hiredis connection behind a mutex. command() tries once (throws QueueUnavailable when the connection is
/// lost; the next call reconnects); commandRetry() reconnects with exponential backoff (0.1 s .. 5 s) until it
/// gets through or `stop` is requested (then it throws QueueUnavailable).
class RedisClient {
public:
    RedisClient(RedisUrl url, std::chrono::milliseconds timeout = std::chrono::seconds(5));
    ~RedisClient();
    RedisClient(const RedisClient&) = delete;
    RedisClient& operator=(const RedisClient&) = delete;

    /// Connects (AUTH, SELECT); throws QueueUnavailable with the reason.
    void connect();
    RedisReply command(const std::vector<std::string>& args);
    RedisReply commandRetry(const std::vector<std::string>& args, std::stop_token stop = {});
    /// MULTI + commands + EXEC in one round trip; the EXEC reply (array of replies). Retried like commandRetry,
    /// or tried once (throws QueueUnavailable) with retry = false.
    RedisReply transaction(const std::vector<std::vector<std::string>>& commands, std::stop_token stop = {},
                           bool retry = true);
    /// Socket timeout for the next commands (a blocking XREADGROUP needs more than its BLOCK time).
    void setTimeout(std::chrono::milliseconds timeout);
    [[nodiscard]] const RedisUrl& url() const { return url_; }

private:
    void connectLocked();
    void dropLocked();
    template <typename F> RedisReply retrying(std::stop_token stop, F f);

    RedisUrl url_;
    std::chrono::milliseconds timeout_;
    redisContext* ctx_{nullptr};
    std::mutex mutex_;
    bool everConnected_{false};
};

} // namespace strata::remote

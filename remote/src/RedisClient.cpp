#include "strata/remote/RedisClient.h"

#include "strata/remote/Log.h"

#include <hiredis/hiredis.h>

#include <regex>
#include <thread>

namespace strata::remote {

namespace {

RedisReply copyReply(const redisReply* r)
{
    RedisReply out;
    if (!r) return out;
    switch (r->type) {
    case REDIS_REPLY_STRING: out.type = RedisReply::Type::String; out.str.assign(r->str, r->len); break;
    case REDIS_REPLY_STATUS: out.type = RedisReply::Type::Status; out.str.assign(r->str, r->len); break;
    case REDIS_REPLY_ERROR: out.type = RedisReply::Type::Error; out.str.assign(r->str, r->len); break;
    case REDIS_REPLY_INTEGER: out.type = RedisReply::Type::Integer; out.integer = r->integer; break;
    case REDIS_REPLY_ARRAY:
        out.type = RedisReply::Type::Array;
        for (size_t i = 0; i < r->elements; ++i) out.elements.push_back(copyReply(r->element[i]));
        break;
    default: break;
    }
    return out;
}

timeval toTimeval(std::chrono::milliseconds ms)
{
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(ms.count() / 1000);
    tv.tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000);
    return tv;
}

} // namespace

RedisUrl RedisUrl::parse(const std::string& url, const std::string& password)
{
    static const std::regex re(R"(^redis://(?:(?:[^:@/]*):([^@/]*)@)?([A-Za-z0-9._-]+|\[[0-9a-fA-F:]+\])(?::(\d{1,5}))?(?:/(\d{1,2}))?/?$)");
    std::smatch m;
    if (!std::regex_match(url, m, re)) {
        throw InvalidArgument("'" + url + "' is not a Redis URL; expected redis://host[:port][/db], e.g. redis://127.0.0.1:6379/0.");
    }
    RedisUrl u;
    u.password = m[1].matched ? m[1].str() : password;
    u.host = m[2].str();
    if (u.host.front() == '[') u.host = u.host.substr(1, u.host.size() - 2);
    if (m[3].matched) u.port = std::stoi(m[3].str());
    if (m[4].matched) u.db = std::stoi(m[4].str());
    if (u.port < 1 || u.port > 65535) throw InvalidArgument("Redis port " + std::to_string(u.port) + " is out of range.");
    return u;
}

std::string RedisUrl::display() const
{
    return "redis://" + host + ":" + std::to_string(port) + "/" + std::to_string(db);
}

RedisClient::RedisClient(RedisUrl url, std::chrono::milliseconds timeout) : url_(std::move(url)), timeout_(timeout) {}

RedisClient::~RedisClient()
{
    dropLocked();
}

void RedisClient::connect()
{
    std::lock_guard lock(mutex_);
    connectLocked();
}

void RedisClient::setTimeout(std::chrono::milliseconds timeout)
{
    std::lock_guard lock(mutex_);
    timeout_ = timeout;
    if (ctx_) redisSetTimeout(ctx_, toTimeval(timeout_));
}

void RedisClient::dropLocked()
{
    if (ctx_) redisFree(ctx_);
    ctx_ = nullptr;
}

void RedisClient::connectLocked()
{
    if (ctx_) return;
    redisContext* c = redisConnectWithTimeout(url_.host.c_str(), url_.port, toTimeval(std::chrono::milliseconds(2000)));
    if (!c || c->err) {
        const std::string why = c ? c->errstr : "out of memory";
        if (c) redisFree(c);
        throw QueueUnavailable("Cannot reach Redis at " + url_.display() + ": " + why + ".");
    }
    redisSetTimeout(c, toTimeval(timeout_));
    auto run = [&](std::vector<std::string> args) {
        std::vector<const char*> argv;
        std::vector<size_t> lens;
        for (auto& a : args) {
            argv.push_back(a.data());
            lens.push_back(a.size());
        }
        auto* r = static_cast<redisReply*>(redisCommandArgv(c, static_cast<int>(argv.size()), argv.data(), lens.data()));
        RedisReply out = r ? copyReply(r) : RedisReply{RedisReply::Type::Error, c->errstr, 0, {}};
        if (r) freeReplyObject(r);
        return out;
    };
    if (!url_.password.empty()) {
        auto r = run({"AUTH", url_.password});
        if (r.error()) {
            redisFree(c);
            throw QueueUnavailable("Redis at " + url_.display() + " refused the password: " + r.str);
        }
    }
    auto r = url_.db ? run({"SELECT", std::to_string(url_.db)}) : run({"PING"});
    if (r.error()) {
        redisFree(c);
        throw QueueUnavailable("Redis at " + url_.display() + " does not answer: " + r.str +
                               (r.str.find("NOAUTH") != std::string::npos ? " (set STRATA_REDIS_PASSWORD)" : ""));
    }
    ctx_ = c;
    if (everConnected_) logEvent("info", "redis_reconnected", {{"url", url_.display()}});
    everConnected_ = true;
}

RedisReply RedisClient::command(const std::vector<std::string>& args)
{
    std::lock_guard lock(mutex_);
    const bool fresh = ctx_ == nullptr;
    connectLocked();
    std::vector<const char*> argv;
    std::vector<size_t> lens;
    for (const auto& a : args) {
        argv.push_back(a.data());
        lens.push_back(a.size());
    }
    auto* r = static_cast<redisReply*>(redisCommandArgv(ctx_, static_cast<int>(argv.size()), argv.data(), lens.data()));
    if (!r && !fresh) {
        // A connection Redis closed while it was idle (a restart): once more on a new one.
        dropLocked();
        try {
            connectLocked();
        } catch (const QueueUnavailable&) {
            throw QueueUnavailable("Lost the connection to Redis at " + url_.display() + " (not back yet).");
        }
        r = static_cast<redisReply*>(redisCommandArgv(ctx_, static_cast<int>(argv.size()), argv.data(), lens.data()));
    }
    if (!r) {
        const std::string why = ctx_->errstr;
        dropLocked();
        throw QueueUnavailable("Lost the connection to Redis at " + url_.display() + ": " + why + ".");
    }
    RedisReply out = copyReply(r);
    freeReplyObject(r);
    if (out.error() && (out.str.rfind("LOADING", 0) == 0 || out.str.rfind("NOAUTH", 0) == 0)) {
        dropLocked(); // restarting: retry later
        throw QueueUnavailable("Redis at " + url_.display() + " is not ready: " + out.str);
    }
    return out;
}

template <typename F> RedisReply RedisClient::retrying(std::stop_token stop, F f)
{
    auto delay = std::chrono::milliseconds(100);
    bool logged = false;
    for (;;) {
        try {
            return f();
        } catch (const QueueUnavailable& e) {
            if (stop.stop_requested()) throw;
            if (!logged) {
                logEvent("warning", "redis_unavailable", {{"url", url_.display()}, {"message", e.what()}});
                logged = true;
            }
        }
        const auto until = std::chrono::steady_clock::now() + delay;
        while (std::chrono::steady_clock::now() < until && !stop.stop_requested()) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        delay = std::min<std::chrono::milliseconds>(delay * 2, std::chrono::seconds(5));
    }
}

RedisReply RedisClient::commandRetry(const std::vector<std::string>& args, std::stop_token stop)
{
    return retrying(stop, [&] { return command(args); });
}

RedisReply RedisClient::transaction(const std::vector<std::vector<std::string>>& commands, std::stop_token stop,
                                    bool retry)
{
    auto once = [&] {
        std::lock_guard lock(mutex_);
        connectLocked();
        auto append = [&](const std::vector<std::string>& args) {
            std::vector<const char*> argv;
            std::vector<size_t> lens;
            for (const auto& a : args) {
                argv.push_back(a.data());
                lens.push_back(a.size());
            }
            redisAppendCommandArgv(ctx_, static_cast<int>(argv.size()), argv.data(), lens.data());
        };
        append({"MULTI"});
        for (const auto& c : commands) append(c);
        append({"EXEC"});
        RedisReply exec;
        for (size_t i = 0; i < commands.size() + 2; ++i) {
            void* raw = nullptr;
            if (redisGetReply(ctx_, &raw) != REDIS_OK || !raw) {
                const std::string why = ctx_->errstr;
                dropLocked();
                throw QueueUnavailable("Lost the connection to Redis at " + url_.display() + ": " + why + ".");
            }
            if (i == commands.size() + 1) exec = copyReply(static_cast<redisReply*>(raw));
            freeReplyObject(raw);
        }
        if (exec.error()) throw Error("Redis transaction failed: " + exec.str);
        return exec;
    };
    return retry ? retrying(stop, once) : once();
}

} // namespace strata::remote

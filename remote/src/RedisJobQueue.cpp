#include "strata/remote/RedisJobQueue.h"

#include "strata/remote/Log.h"

#include <thread>

namespace strata::remote {

using nlohmann::json;

namespace {

/// The value of `field` in a stream entry [id, [f1, v1, f2, v2, ...]].
std::string entryField(const RedisReply& entry, const std::string& field)
{
    if (entry.elements.size() < 2) return "";
    const auto& kv = entry.elements[1].elements;
    for (size_t i = 0; i + 1 < kv.size(); i += 2) {
        if (kv[i].str == field) return kv[i + 1].str;
    }
    return "";
}

void check(const RedisReply& r, const std::string& what)
{
    if (r.error()) throw Error("Redis refused " + what + ": " + r.str);
}

} // namespace

RedisJobQueue::RedisJobQueue(const RedisUrl& url, RedisQueueOptions options)
    : options_(std::move(options)), control_(url), blocking_(url, options_.block + std::chrono::seconds(5))
{
}

std::string RedisJobQueue::classFor(const json& request)
{
    return request.value("device", "auto") == "cuda" ? "gpu" : "any";
}

void RedisJobQueue::connect()
{
    control_.connect();
    blocking_.connect();
    ensureGroups();
}

void RedisJobQueue::ensureGroups()
{
    // From id 0: a group created again (Redis lost it) delivers every entry still in the stream once more.
    auto create = [&](const std::string& stream, const std::string& group) {
        auto r = control_.command({"XGROUP", "CREATE", stream, group, "0", "MKSTREAM"});
        if (r.error() && r.str.find("BUSYGROUP") == std::string::npos) check(r, "XGROUP CREATE " + stream);
    };
    for (const char* c : {"gpu", "any"}) create(key(std::string("jobs:") + c), "workers");
    create(key("events"), "server");
}

void RedisJobQueue::push(const JobRecord& job)
{
    const json payload{{"id", job.id}, {"owner", job.owner}, {"pipeline", job.pipeline}, {"request", job.request},
                       {"created", job.created}};
    const std::string cls = classFor(job.request);
    const auto r = control_.transaction(
        {{"HSET", key("job:" + job.id), "job", payload.dump(), "class", cls},
         {"XADD", key("jobs:" + cls), "*", "id", job.id, "job", payload.dump()}},
        {}, false);
    for (const auto& e : r.elements) check(e, "a job");
}

std::optional<JobRecord> RedisJobQueue::take(const std::string& stream, const RedisReply& entry)
{
    const std::string id = entryField(entry, "id");
    const json payload = json::parse(entryField(entry, "job"), nullptr, false);
    const std::string entryId = entry.elements.empty() ? "" : entry.elements[0].str;
    if (id.empty() || payload.is_discarded() || !payload.is_object()) {
        logEvent("warning", "queue_bad_entry", {{"stream", stream}, {"entry", entryId}});
        control_.command({"XACK", stream, "workers", entryId});
        control_.command({"XDEL", stream, entryId});
        return std::nullopt;
    }
    {
        std::lock_guard lock(mutex_);
        held_[id] = Held{stream, entryId, entryField(entry, "job")};
    }
    if (auto done = result(id)) { // finished already (a duplicate entry, or its ack was lost): never run twice
        logEvent("info", "job_already_finished", {{"job", id}});
        ack(id);
        return std::nullopt;
    }
    JobRecord job;
    job.id = id;
    job.owner = payload.value("owner", "");
    job.pipeline = payload.value("pipeline", "");
    job.request = payload.value("request", json::object());
    job.created = payload.value("created", std::int64_t{0});
    job.state = "running";
    job.started = unixNow();
    const auto r = control_.transaction({{"HINCRBY", key("job:" + id), "attempts", "1"},
                                         {"HSET", key("job:" + id), "worker", options_.consumer},
                                         {"EXISTS", key("cancel:" + id)}});
    job.attempts = r.elements.size() == 3 ? static_cast<int>(r.elements[0].integer) : 1;
    job.cancelRequested = r.elements.size() == 3 && r.elements[2].integer > 0;
    return job;
}

std::optional<JobRecord> RedisJobQueue::pop(std::stop_token stop)
{
    waking_ = false;
    while (!stop.stop_requested() && !waking_) {
        try {
            std::pair<std::string, RedisReply> next;
            bool have = false;
            {
                std::lock_guard lock(mutex_);
                if (reclaimed_.empty() && std::chrono::steady_clock::now() - lastReclaim_ > options_.reclaimAfter / 4) {
                    have = false;
                } else if (!reclaimed_.empty()) {
                    next = std::move(reclaimed_.front());
                    reclaimed_.pop_front();
                    have = true;
                }
            }
            if (!have && std::chrono::steady_clock::now() - lastReclaim_ > options_.reclaimAfter / 4) {
                reclaim();
                std::lock_guard lock(mutex_);
                if (!reclaimed_.empty()) {
                    next = std::move(reclaimed_.front());
                    reclaimed_.pop_front();
                    have = true;
                }
            }
            if (have) {
                if (auto job = take(next.first, next.second)) return job;
                continue;
            }
            for (size_t i = 0; i < options_.classes.size() && !have; ++i) {
                const std::string stream = key("jobs:" + options_.classes[i]);
                const bool last = i + 1 == options_.classes.size();
                std::vector<std::string> args{"XREADGROUP", "GROUP", "workers", options_.consumer, "COUNT", "1"};
                if (last) {
                    args.push_back("BLOCK");
                    args.push_back(std::to_string(options_.block.count()));
                }
                args.insert(args.end(), {"STREAMS", stream, ">"});
                const auto r = (last ? blocking_ : control_).command(args);
                if (r.error() && r.str.rfind("NOGROUP", 0) == 0) {
                    ensureGroups(); // Redis came back without our groups
                    break;
                }
                check(r, "XREADGROUP");
                if (r.type == RedisReply::Type::Array && !r.elements.empty() && r.elements[0].elements.size() == 2 &&
                    !r.elements[0].elements[1].elements.empty()) {
                    next = {stream, r.elements[0].elements[1].elements[0]};
                    have = true;
                }
            }
            if (have) {
                if (auto job = take(next.first, next.second)) return job;
            }
        } catch (const QueueUnavailable& e) {
            // Redis went away: wait for it (backoff) without losing anything; pending entries stay pending.
            try {
                control_.commandRetry({"PING"}, stop);
            } catch (const QueueUnavailable&) {
                return std::nullopt;
            }
        }
    }
    return std::nullopt;
}

std::vector<std::string> RedisJobQueue::reclaim()
{
    std::vector<std::string> ids;
    {
        std::lock_guard lock(mutex_);
        lastReclaim_ = std::chrono::steady_clock::now();
    }
    for (const auto& cls : options_.classes) {
        const std::string stream = key("jobs:" + cls);
        const auto r = control_.command({"XAUTOCLAIM", stream, "workers", options_.consumer,
                                         std::to_string(options_.reclaimAfter.count()), "0-0", "COUNT", "1"});
        if (r.error() && r.str.rfind("NOGROUP", 0) == 0) {
            ensureGroups();
            continue;
        }
        check(r, "XAUTOCLAIM");
        if (r.elements.size() < 2) continue;
        std::lock_guard lock(mutex_);
        for (const auto& entry : r.elements[1].elements) {
            if (entry.type != RedisReply::Type::Array || entry.elements.size() < 2) continue;
            const std::string id = entryField(entry, "id");
            ids.push_back(id);
            logEvent("info", "job_reclaimed", {{"job", id}, {"entry", entry.elements[0].str}, {"worker", options_.consumer}});
            reclaimed_.emplace_back(stream, entry);
        }
        if (!ids.empty()) break; // one at a time: a job waiting in this worker would look idle to the others
    }
    return ids;
}

void RedisJobQueue::ack(const std::string& jobId)
{
    Held h;
    {
        std::lock_guard lock(mutex_);
        auto it = held_.find(jobId);
        if (it == held_.end()) return;
        h = it->second;
        held_.erase(it);
    }
    control_.transaction({{"XACK", h.stream, "workers", h.entry}, {"XDEL", h.stream, h.entry}});
}

void RedisJobQueue::cancel(const std::string& jobId)
{
    check(control_.command({"SET", key("cancel:" + jobId), "1", "EX", "604800"}), "SET cancel");
}

void RedisJobQueue::wakeAll()
{
    waking_ = true;
}

void RedisJobQueue::touch(const std::string& jobId)
{
    Held h;
    {
        std::lock_guard lock(mutex_);
        auto it = held_.find(jobId);
        if (it == held_.end()) return;
        h = it->second;
    }
    // XCLAIM to ourselves with min-idle 0 resets the entry's idle time: other workers see it is alive.
    control_.command({"XCLAIM", h.stream, "workers", options_.consumer, "0", h.entry, "JUSTID"});
}

void RedisJobQueue::release(const std::string& jobId, std::stop_token stop)
{
    Held h;
    {
        std::lock_guard lock(mutex_);
        auto it = held_.find(jobId);
        if (it == held_.end()) return;
        h = it->second;
        held_.erase(it);
    }
    control_.transaction({{"XADD", h.stream, "*", "id", jobId, "job", h.payload},
                          {"HINCRBY", key("job:" + jobId), "attempts", "-1"},
                          {"XACK", h.stream, "workers", h.entry},
                          {"XDEL", h.stream, h.entry}},
                         stop);
}

bool RedisJobQueue::cancelRequested(const std::string& jobId)
{
    return control_.command({"EXISTS", key("cancel:" + jobId)}).integer > 0;
}

void RedisJobQueue::publish(const std::string& jobId, const json& event)
{
    control_.command({"XADD", key("events"), "MAXLEN", "~", "100000", "*", "job", jobId, "event", event.dump()});
}

void RedisJobQueue::finish(const std::string& jobId, const json& result, std::stop_token stop)
{
    Held h;
    {
        std::lock_guard lock(mutex_);
        if (auto it = held_.find(jobId); it != held_.end()) h = it->second;
        held_.erase(jobId);
    }
    json event = result;
    event["type"] = "finished";
    std::vector<std::vector<std::string>> cmds{
        {"HSET", key("job:" + jobId), "result", result.dump()},
        {"XADD", key("events"), "MAXLEN", "~", "100000", "*", "job", jobId, "event", event.dump()}};
    if (!h.entry.empty()) {
        cmds.push_back({"XACK", h.stream, "workers", h.entry});
        cmds.push_back({"XDEL", h.stream, h.entry});
    }
    control_.transaction(cmds, stop);
}

std::optional<json> RedisJobQueue::result(const std::string& jobId)
{
    const auto r = control_.command({"HGET", key("job:" + jobId), "result"});
    if (r.type != RedisReply::Type::String) return std::nullopt;
    json j = json::parse(r.str, nullptr, false);
    if (j.is_discarded()) return std::nullopt;
    return j;
}

void RedisJobQueue::advertise(const json& info, std::chrono::seconds ttl)
{
    control_.command({"SET", key("worker:" + options_.consumer), info.dump(), "EX", std::to_string(ttl.count())});
}

bool RedisJobQueue::known(const std::string& jobId)
{
    return control_.command({"EXISTS", key("job:" + jobId)}).integer > 0;
}

void RedisJobQueue::forget(const std::string& jobId)
{
    control_.command({"DEL", key("job:" + jobId), key("cancel:" + jobId)});
}

std::vector<json> RedisJobQueue::workers()
{
    std::vector<json> out;
    std::string cursor = "0";
    do {
        const auto r = control_.command({"SCAN", cursor, "MATCH", key("worker:*"), "COUNT", "100"});
        if (r.elements.size() < 2) break;
        cursor = r.elements[0].str;
        for (const auto& k : r.elements[1].elements) {
            const auto v = control_.command({"GET", k.str});
            json j = json::parse(v.str, nullptr, false);
            if (v.type == RedisReply::Type::String && !j.is_discarded()) out.push_back(j);
        }
    } while (cursor != "0");
    return out;
}

std::vector<json> RedisJobQueue::readEvents(std::stop_token)
{
    // After a (re)start, first what this server read but never acked ("0"), then new events (">").
    const std::string from = eventsPendingRead_ ? ">" : "0";
    RedisReply r;
    try {
        r = blocking_.command({"XREADGROUP", "GROUP", "server", "server", "COUNT", "200", "BLOCK",
                                      std::to_string(options_.block.count()), "STREAMS", key("events"), from});
    } catch (const QueueUnavailable&) {
        eventsPendingRead_ = false; // what was read but not acked before Redis went away comes again
        throw;
    }
    if (r.error() && r.str.rfind("NOGROUP", 0) == 0) {
        ensureGroups();
        return {};
    }
    check(r, "XREADGROUP events");
    std::vector<json> out;
    if (r.type == RedisReply::Type::Array && !r.elements.empty() && r.elements[0].elements.size() == 2) {
        for (const auto& entry : r.elements[0].elements[1].elements) {
            if (entry.elements.size() < 2) continue;
            json ev = json::parse(entryField(entry, "event"), nullptr, false);
            out.push_back({{"id", entry.elements[0].str}, {"job", entryField(entry, "job")},
                           {"event", ev.is_discarded() ? json::object() : ev}});
        }
    }
    if (from == "0" && out.empty()) eventsPendingRead_ = true;
    return out;
}

void RedisJobQueue::ackEvents(const std::vector<std::string>& entryIds)
{
    if (entryIds.empty()) return;
    std::vector<std::string> ack{"XACK", key("events"), "server"}, del{"XDEL", key("events")};
    ack.insert(ack.end(), entryIds.begin(), entryIds.end());
    del.insert(del.end(), entryIds.begin(), entryIds.end());
    control_.transaction({ack, del});
}

} // namespace strata::remote

#include "WorkerEventBridge.h"

#include "strata/remote/Log.h"

namespace strata::remote {

using nlohmann::json;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

WorkerEventBridge::WorkerEventBridge(RedisJobQueue& queue, Database& db, fs::path dataDir, Publish publish)
    : queue_(queue), db_(db), dataDir_(std::move(dataDir)), publish_(std::move(publish))
{
}

WorkerEventBridge::~WorkerEventBridge()
{
    stop();
}

std::vector<std::string> WorkerEventBridge::start()
{
    auto pushed = reconcile(true);
    thread_ = std::jthread([this](std::stop_token stop) { loop(stop); });
    return pushed;
}

void WorkerEventBridge::stop()
{
    if (thread_.joinable()) {
        thread_.request_stop();
        thread_.join();
    }
}

json WorkerEventBridge::workers()
{
    std::lock_guard lock(workersMutex_);
    if (Clock::now() - workersAt_ > std::chrono::seconds(1)) {
        try {
            workers_ = queue_.workers();
        } catch (const std::exception&) {
            workers_ = json::array(); // Redis is away: no worker can take jobs now
        }
        workersAt_ = Clock::now();
    }
    return workers_;
}

std::vector<std::string> WorkerEventBridge::reconcile(bool initial)
{
    std::vector<std::string> pushed;
    for (const auto& job : db_.activeJobs()) {
        if (auto result = queue_.result(job.id)) {
            json event = *result;
            event["type"] = "finished";
            apply(job.id, event);
            continue;
        }
        if (job.cancelRequested) queue_.cancel(job.id); // a cancel that came while Redis was away
        if (queue_.known(job.id)) continue;
        if (!initial && unixNow() - job.created < 10) continue; // its push may be on the way (submitJob)
        if (job.state == "queued" && job.cancelRequested) continue;
        queue_.push(job);
        pushed.push_back(job.id);
        logEvent("info", "job_requeued", {{"job", job.id}, {"reason", "not in the Redis queue"}});
    }
    return pushed;
}

void WorkerEventBridge::apply(const std::string& id, const json& event)
{
    const std::string type = event.value("type", "");
    if (type == "started") {
        if (db_.markStarted(id, event.value("attempt", 1))) {
            logEvent("info", "job_started", {{"job", id}, {"attempt", event.value("attempt", 1)},
                                             {"worker", event.value("worker", "")}});
            publish_(id, {{"type", "state"}, {"state", "running"}}, false);
        }
    } else if (type == "progress") {
        const json p = event.value("progress", json::object());
        auto job = db_.job(id);
        if (!job || job->terminal()) return;
        publish_(id, {{"type", "progress"}, {"state", "running"}, {"progress", p}}, false);
        auto& last = lastProgressWrite_[id];
        if (Clock::now() - last > std::chrono::seconds(1)) {
            last = Clock::now();
            db_.setProgress(id, p);
        }
    } else if (type == "finished") {
        const std::string state = event.value("state", "failed");
        lastProgressWrite_.erase(id);
        if (db_.finishActiveJob(id, state, event.value("message", ""), event.value("files", json::array()),
                                event.value("attempt", 1))) {
            std::error_code ec;
            fs::remove_all(dataDir_ / "jobs" / id / "inputs", ec); // hard links to blobs, made at submission
            publish_(id, {{"type", "state"}, {"state", state}}, true);
            logEvent("info", "job_finished", {{"job", id}, {"state", state}, {"message", event.value("message", "")},
                                              {"attempt", event.value("attempt", 1)}, {"worker", event.value("worker", "")}});
        } else {
            logEvent("info", "job_finished_again", {{"job", id}, {"state", state}, {"worker", event.value("worker", "")}});
        }
        queue_.forget(id);
    }
}

void WorkerEventBridge::loop(std::stop_token stop)
{
    auto lastReconcile = Clock::now();
    while (!stop.stop_requested()) {
        try {
            const auto events = queue_.readEvents(stop);
            std::vector<std::string> done;
            for (const auto& e : events) {
                try {
                    apply(e.value("job", ""), e.value("event", json::object()));
                } catch (const QueueUnavailable&) {
                    throw;
                } catch (const std::exception& ex) {
                    logEvent("error", "worker_event_error", {{"job", e.value("job", "")}, {"message", ex.what()}});
                }
                done.push_back(e.value("id", ""));
            }
            queue_.ackEvents(done);
            if (Clock::now() - lastReconcile > std::chrono::seconds(10)) {
                lastReconcile = Clock::now();
                reconcile();
            }
        } catch (const QueueUnavailable&) {
            try {
                queue_.control().commandRetry({"PING"}, stop); // back off until Redis is back
                reconcile();
            } catch (const std::exception&) {
            }
        } catch (const std::exception& e) {
            logEvent("error", "worker_events_error", {{"message", e.what()}});
            std::this_thread::sleep_for(std::chrono::seconds(1));
        }
    }
}

} // namespace strata::remote

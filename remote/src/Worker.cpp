#include "strata/remote/Worker.h"

#include "DiskFull.h"
#include "DeviceInfo.h"
#include "JobInput.h"
#include "PathRedaction.h"
#include "strata/DataFileReferences.h"
#include "strata/Error.h"
#include "strata/SystemInfo.h"
#include "strata/pipeline/LocalExecutor.h"
#include "strata/remote/Log.h"
#include "strata/remote/RedisJobQueue.h"
#include "strata/remote/SharedStore.h"

#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <thread>

namespace strata::remote {

using nlohmann::json;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

/// Progress to the server through the events stream: every stage change, otherwise at most 10 a second.
class RedisProgressSink : public pipeline::ProgressSink {
public:
    RedisProgressSink(RedisJobQueue& queue, std::string id) : queue_(queue), id_(std::move(id)) {}
    void progress(const pipeline::ProgressEvent& e) override
    {
        const auto now = Clock::now();
        if (e.stageIndex == lastStage_ && e.stageFraction < 1.0 && now - last_ < std::chrono::milliseconds(100)) return;
        last_ = now;
        lastStage_ = e.stageIndex;
        const json p{{"stage_id", e.stageId},       {"stage_title", e.stageTitle}, {"stage_index", e.stageIndex},
                     {"stage_count", e.stageCount}, {"stage_fraction", e.stageFraction}, {"overall", e.overall},
                     {"message", e.message},        {"elapsed_seconds", e.elapsedSeconds}};
        try {
            queue_.publish(id_, {{"type", "progress"}, {"progress", p}});
        } catch (const std::exception&) {
            // Redis away: progress is best effort, the job goes on (the result is retried until it is stored).
        }
    }

private:
    RedisJobQueue& queue_;
    std::string id_;
    Clock::time_point last_{};
    int lastStage_{-1};
};

} // namespace

struct Worker::Impl {
    WorkerConfig config;
    const pipeline::PipelineRegistry& registry;
    std::unique_ptr<RedisJobQueue> queue;
    std::unique_ptr<SharedStore> store;
    json devices;
    std::string deviceClass;

    std::mutex mutex;
    std::string currentJob;
    std::stop_source currentStop;
    bool userCancelled{false};

    Impl(WorkerConfig c, const pipeline::PipelineRegistry& r) : config(std::move(c)), registry(r) {}

    std::chrono::milliseconds heartbeat() const
    {
        return std::max(std::chrono::milliseconds(200), config.reclaimAfter / 4);
    }

    json describe()
    {
        std::lock_guard lock(mutex);
        return {{"name", config.name}, {"device", deviceClass}, {"devices", devices}, {"host", hostName()},
                {"pid", ::getpid()}, {"job", currentJob}};
    }

    /// Heartbeat: keeps the held entry fresh, advertises this worker, stops the job when its cancel key appears.
    void heartbeatLoop(std::stop_token stop)
    {
        auto lastBeat = Clock::time_point{};
        const auto ttl = std::chrono::duration_cast<std::chrono::seconds>(heartbeat() * 3) + std::chrono::seconds(2);
        while (!stop.stop_requested()) {
            std::string job;
            {
                std::lock_guard lock(mutex);
                job = currentJob;
            }
            try {
                if (!job.empty() && queue->cancelRequested(job)) {
                    std::lock_guard lock(mutex);
                    if (currentJob == job && !userCancelled) {
                        userCancelled = true;
                        currentStop.request_stop();
                        logEvent("info", "job_cancel", {{"job", job}});
                    }
                }
                if (Clock::now() - lastBeat > heartbeat()) {
                    lastBeat = Clock::now();
                    if (!job.empty()) queue->touch(job);
                    queue->advertise(describe(), ttl);
                }
            } catch (const std::exception&) {
                // Redis away: the next command reconnects. The job keeps running meanwhile.
            }
            std::mutex m;
            std::condition_variable_any cv;
            std::unique_lock lock(m);
            cv.wait_for(lock, stop, std::chrono::milliseconds(250), [] { return false; });
        }
    }

    void finish(const JobRecord& job, const std::string& state, const std::string& message, const json& files,
                std::stop_token stop)
    {
        queue->finish(job.id, {{"state", state}, {"message", message}, {"files", files}, {"attempt", job.attempts},
                               {"worker", config.name}},
                      stop);
        logEvent("info", "job_finished", {{"job", job.id}, {"state", state}, {"message", message}, {"attempt", job.attempts}});
    }

    void runJob(const JobRecord& job, std::stop_token shutdown)
    {
        const auto t0 = Clock::now();
        logEvent("info", "job_started", {{"job", job.id}, {"pipeline", job.pipeline}, {"attempt", job.attempts}});
        if (!isSafeName(job.id)) {
            finish(job, "failed", "The queue entry has an invalid job id.", json::array(), shutdown);
            return;
        }
        if (job.cancelRequested) {
            finish(job, "cancelled", "Cancelled before it started.", json::array(), shutdown);
            return;
        }
        if (job.attempts > config.maxAttempts) {
            finish(job, "failed", "Workers stopped during each of its " + std::to_string(config.maxAttempts) +
                                      " runs; not retried.", json::array(), shutdown);
            return;
        }
        if (store->hasBundle(job.id)) { // an earlier run finished but its result never reached Redis
            finish(job, "succeeded", "Finished (the result was already in the store).", store->listBundle(job.id), shutdown);
            return;
        }
        try {
            queue->publish(job.id, {{"type", "started"}, {"attempt", job.attempts}, {"worker", config.name}});
        } catch (const std::exception&) {
        }
        {
            std::lock_guard lock(mutex);
            currentJob = job.id;
            currentStop = std::stop_source();
            userCancelled = false;
        }
        const fs::path scratch = store->scratchDir(job.id, config.name + "-" + randomHex(4));
        pipeline::RunRequest request;
        request.pipeline = job.pipeline;
        request.parameters = job.request.value("parameters", json::object());
        request.device = job.request.value("device", "auto");
        if (deviceClass == "cpu" && request.device == "auto") request.device = "cpu";
        const int threads = job.request.value("threads", 0);
        request.threads = threads > 0 ? threads : config.threads;
        request.outputDir = scratch / "bundle";
        pipeline::RunResult result;
        std::stop_callback forward(shutdown, [this] {
            std::lock_guard lock(mutex);
            currentStop.request_stop();
        });
        try {
            const json inputs = job.request.value("inputs", json::object());
            for (const auto& [port, v] : inputs.items()) {
                if (!isSafeName(port)) {
                    throw InvalidArgument("The job names an input with an unsafe name: '" + port + "'.");
                }
                const JobInput input = JobInput::fromJson(port, v); // names checked again: they came over a wire
                const fs::path target = input.materialise(scratch / "inputs" / port,
                                                          [&](const std::string& sha, const fs::path& file) {
                                                              store->fetchInput(sha, file);
                                                          });
                if (!input.folder) requireDataFilesInside(target, target.parent_path()); // the header came over the network
                request.inputs[port] = target;
                request.inputLabels[port] = input.name;
            }
            RedisProgressSink sink(*queue, job.id);
            pipeline::LocalExecutor executor(registry);
            std::stop_token token;
            {
                std::lock_guard lock(mutex);
                token = currentStop.get_token();
            }
            result = executor.run(request, sink, token);
        } catch (const std::exception& e) {
            result.status = pipeline::RunStatus::Failed;
            result.message = jobFailureMessage(e);
        }
        bool cancelledByUser;
        {
            std::lock_guard lock(mutex);
            cancelledByUser = userCancelled;
            currentJob.clear();
        }
        std::error_code ec;
        if (result.status == pipeline::RunStatus::Cancelled && !cancelledByUser && shutdown.stop_requested()) {
            fs::remove_all(scratch, ec);
            try {
                queue->release(job.id, shutdown); // another worker takes it now, not after the reclaim timeout
                logEvent("info", "job_released", {{"job", job.id}});
            } catch (const std::exception&) {
                logEvent("info", "job_interrupted", {{"job", job.id}}); // reclaimed after the timeout
            }
            return;
        }
        json files = json::array();
        if (result.status == pipeline::RunStatus::Succeeded) {
            try {
                if (!store->publishBundle(job.id, request.outputDir)) {
                    logEvent("info", "bundle_exists", {{"job", job.id}}); // another run of it got there first
                }
                files = store->listBundle(job.id);
            } catch (const std::exception& e) {
                result.status = pipeline::RunStatus::Failed;
                result.message = std::string("Cannot store the results: ") + e.what();
            }
        }
        fs::remove_all(scratch, ec);
        result.message = withoutServerPath(result.message, scratch, "the job folder");
        finish(job, pipeline::runStatusName(result.status), result.message, files, shutdown);
        logEvent("info", "job_seconds", {{"job", job.id}, {"seconds", std::chrono::duration<double>(Clock::now() - t0).count()}});
    }
};

Worker::Worker(WorkerConfig config, const pipeline::PipelineRegistry& registry)
    : impl_(std::make_unique<Impl>(std::move(config), registry))
{
}

Worker::~Worker() = default;

const std::string& Worker::name() const
{
    return impl_->config.name;
}

void Worker::start()
{
    auto& d = *impl_;
    if (d.config.dataDir.empty()) throw InvalidArgument("--data (the shared data directory) is required.");
    d.store = std::make_unique<DirectoryStore>(fs::absolute(d.config.dataDir));
    d.devices = describeDevices();
    if (d.config.device == "auto") d.config.device = d.devices["gpus"].empty() ? "cpu" : "cuda";
    if (d.config.device != "cpu" && d.config.device != "cuda") {
        throw InvalidArgument("--device must be cuda, cpu or auto, not '" + d.config.device + "'.");
    }
    d.deviceClass = d.config.device;
    if (d.config.name.empty()) d.config.name = hostName() + "-" + std::to_string(::getpid()) + "-" + randomHex(2);
    if (!isSafeName(d.config.name)) {
        throw InvalidArgument("--name '" + d.config.name + "' may only use letters, digits, '.', '_' and '-'.");
    }
    RedisQueueOptions options;
    options.classes = d.deviceClass == "cuda" ? std::vector<std::string>{"gpu", "any"} : std::vector<std::string>{"any"};
    options.consumer = d.config.name;
    options.reclaimAfter = d.config.reclaimAfter;
    d.queue = std::make_unique<RedisJobQueue>(RedisUrl::parse(d.config.queueUrl, d.config.redisPassword), options);
    d.queue->connect();
    d.queue->advertise(d.describe(), std::chrono::seconds(30));
    logEvent("info", "worker_ready", {{"worker", d.config.name}, {"queue", d.queue->control().url().display()},
                                      {"device", d.deviceClass}, {"devices", d.devices["summary"]},
                                      {"data_dir", d.config.dataDir.string()}, {"streams", options.classes}});
}

void Worker::run(std::stop_token stop)
{
    auto& d = *impl_;
    std::jthread beat([&d](std::stop_token s) { d.heartbeatLoop(s); });
    while (!stop.stop_requested()) {
        std::optional<JobRecord> job = d.queue->popOrPause(stop);
        if (!job) continue;
        try {
            d.runJob(*job, stop);
        } catch (const std::exception& e) {
            // Not acked: the entry stays pending and is reclaimed (and re-run) after the timeout.
            logEvent("error", "worker_error", {{"job", job->id}, {"message", e.what()}});
        }
    }
    try {
        d.queue->control().command({"DEL", d.queue->options().prefix + "worker:" + d.config.name});
    } catch (const std::exception&) {
    }
}

} // namespace strata::remote

#include "strata/Error.h"
#include "strata/StandardPipelines.h"
#include "strata/Version.h"
#include "strata/io/DecodeScratch.h"
#include "strata/remote/Log.h"
#include "strata/remote/RedisClient.h"
#include "strata/remote/SelftestPipeline.h"
#include "strata/remote/Worker.h"

#include <CLI/CLI.hpp>

#include <pthread.h>

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <thread>

namespace strata::remote {

int workerMain(int argc, char** argv)
{
    CLI::App app{"strata-worker: runs Strata jobs from a Redis queue for strata-server --queue redis://...\n"
                 "Inputs and results live in the shared data directory (--data, the server's --data-dir).\n"
                 "Exit codes: 0 stopped by SIGTERM/SIGINT, 1 error, 2 bad command line, 3 Redis unreachable at start."};
    app.set_version_flag("--version", std::string("strata-worker ") + kVersion);
    app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);

    WorkerConfig cfg;
    std::string dataDir;
    double reclaimSeconds = 30;
    bool selftest = false;
    app.add_option("--queue", cfg.queueUrl, "Redis URL: redis://host[:port][/db] (password: STRATA_REDIS_PASSWORD)")
        ->envname("STRATA_WORKER_QUEUE")->required();
    app.add_option("--data,--data-dir", dataDir, "Shared data directory (the server's --data-dir)")
        ->envname("STRATA_WORKER_DATA_DIR")->required();
    app.add_option("--device", cfg.device, "cuda: takes jobs that require cuda and any other; cpu: only jobs that do "
                                           "not need a GPU; auto: cuda if nvidia-smi lists a GPU")
        ->envname("STRATA_WORKER_DEVICE")->check(CLI::IsMember({"auto", "cpu", "cuda"}))->capture_default_str();
    app.add_option("--name", cfg.name, "Consumer name in the queue, unique among running workers (default host-pid-random)")
        ->envname("STRATA_WORKER_NAME");
    app.add_option("--threads", cfg.threads, "CPU threads for jobs that ask for 0 (0: all cores)")
        ->envname("STRATA_WORKER_THREADS")->capture_default_str();
    app.add_option("--max-attempts", cfg.maxAttempts, "Runs of a job interrupted by dead workers before it fails")
        ->envname("STRATA_WORKER_MAX_ATTEMPTS")->capture_default_str();
    app.add_option("--reclaim-after", reclaimSeconds, "Seconds without a heartbeat before a job is taken from its "
                                                      "(dead) worker; the same on every worker")
        ->envname("STRATA_WORKER_RECLAIM_AFTER")->check(CLI::Range(0.5, 86400.0))->capture_default_str();
    app.add_flag("--selftest-pipeline", selftest, "Offer the cheap 'selftest' pipeline (tests, smoke checks)")
        ->envname("STRATA_WORKER_SELFTEST_PIPELINE");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }
    cfg.dataDir = dataDir;
    cfg.reclaimAfter = std::chrono::milliseconds(static_cast<long long>(reclaimSeconds * 1000));
    if (const char* pw = std::getenv("STRATA_REDIS_PASSWORD")) cfg.redisPassword = pw;

    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
    try {
        pipeline::PipelineRegistry registry = standardPipelines();
        if (selftest) registry.add(std::make_shared<SelftestPipeline>());
        Worker worker(cfg, registry);
        worker.start();
        if (const auto stale = io::removeStaleDecodeScratch()) {
            logEvent("info", "stale_decode_scratch_removed", {{"count", stale}});
        }
        std::cout << "strata-worker: " << worker.name() << " waiting for jobs on " << cfg.queueUrl << std::endl;
        std::jthread runner([&worker](std::stop_token stop) { worker.run(stop); });
        int sig = 0;
        sigwait(&signals, &sig);
        logEvent("info", "signal", {{"signal", sig == SIGINT ? "SIGINT" : "SIGTERM"}});
        runner.request_stop();
        runner.join();
        logEvent("info", "stopped");
        return 0;
    } catch (const QueueUnavailable& e) {
        return logFatal("strata-worker", e, kQueueUnavailableExit);
    } catch (const std::exception& e) {
        return logFatal("strata-worker", e, 1);
    }
}

} // namespace strata::remote

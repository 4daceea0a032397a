#pragma once

#include "strata/pipeline/PipelineRegistry.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

namespace strata::remote {

/// Everything strata-server can be told (config file, STRATA_SERVER_* environment variables, flags).
struct ServerConfig {
    std::string host{"127.0.0.1"};
    int port{8080};                         ///< 0: any free port (written to portFile)
    std::filesystem::path dataDir{"strata-data"};
    std::filesystem::path portFile;         ///< when set, the bound port is written there once listening
    std::filesystem::path tlsCert;          ///< PEM; with tlsKey: serve HTTPS
    std::filesystem::path tlsKey;
    bool selfSigned{false};                 ///< create dataDir/tls/{cert,key}.pem if missing and serve HTTPS
    bool allowAnonymous{false};             ///< only with a loopback host; requests from loopback only
    bool selftestPipeline{false};           ///< register the cheap "selftest" pipeline (tests, smoke checks)
    int workers{0};                         ///< concurrent jobs; 0 = slotsPerGpu x GPUs, or 1 without a GPU
    int slotsPerGpu{1};
    int threadsPerJob{0};                   ///< CPU threads for a job that asks for 0 (0 = all cores)
    std::uint64_t maxUploadBytes{4ull << 30}; ///< one upload, and all files of one folder input together
    std::size_t maxInputFiles{4096};        ///< files of one folder input (a DICOM series)
    std::uint64_t maxChunkBytes{64ull << 20};
    std::uint64_t maxVoxels{512ull * 512 * 512};
    int maxQueuedJobs{1000};
    double retentionHours{168};             ///< finished jobs and unused inputs are deleted after this
    std::uint64_t diskQuotaBytes{0};        ///< 0 = no quota; else oldest finished results go first
    int httpThreads{128};                   ///< requests served at once (SSE streams hold one each)
    // Limits that hold before authentication (remote/README.md, "Threat model").
    std::size_t maxHeaderBytes{64 * 1024};  ///< request line + headers; more: 431, connection closed
    std::size_t maxHeaderCount{100};        ///< header lines per request; more: 431
    double headerTimeoutSeconds{10};        ///< whole request head must arrive within this; else 408
    std::size_t maxWaitingPerAddress{64};   ///< connections of one address still sending their head; the oldest goes
    int authFailuresPerMinute{30};          ///< wrong tokens per client address before 429 + Retry-After (0: no limit)
    std::string trustedProxies{"127.0.0.1,::1"}; ///< peers whose X-Forwarded-For names the client (comma list; "*": any)
    std::uint64_t maxJsonBodyBytes{1ull << 20}; ///< JSON request bodies (jobs, uploads); larger: 413 from Content-Length
    std::uint64_t maxJobMemoryBytes{0};     ///< per-job memory budget (voxels x the pipeline's bytes per voxel);
                                            ///< 0 = 80 % of this machine's memory / jobs run at once
    int maxAttempts{3};                     ///< runs of a job interrupted by crashes before it is failed
    std::uint64_t maxPredictBytes{4ull << 20};  ///< largest image body of the synchronous predict endpoint
    std::uint64_t maxPredictPixels{16'000'000};
    int predictMaxBatch{32};                ///< concurrent predict requests per forward pass (1: no batching)
    int predictMaxWaitMicros{2000};         ///< how long the first request of a batch waits for others
    std::string queueUrl;                   ///< "" = built-in workers on SQLite; redis://host:port[/db] = strata-worker
    std::string redisPassword;              ///< STRATA_REDIS_PASSWORD
};

/// The HTTP(S) API over the same pipeline code as the workstation (a LocalExecutor per job).
/// Routes (all under /api/v1, JSON, bearer token):
///   GET  health, version, pipelines, models
///   POST uploads {sha256, size, name}  GET|PUT uploads/{sha256}[?offset=N]   (chunked, resumable)
///   POST jobs {pipeline, parameters, inputs: {port: sha256 | {sha256, name} | {name, files: [{sha256, name}]}},
///             device, threads}   (a folder input, e.g. a DICOM series, is rebuilt as a folder in the job)
///   GET  jobs, jobs/{id}, jobs/{id}/events (Server-Sent Events), jobs/{id}/files/{path}
///   POST jobs/{id}/cancel   DELETE jobs/{id}
///   POST models/{name}/predict[?top_k=N]  body: one PNG/JPEG/BMP/TIFF image → top-k labels at once (no job;
///        concurrent requests are batched into one forward pass)
///   POST cohorts {pipeline, parameters, cases: [{subject, timepoint, inputs}]}   GET cohorts, cohorts/{id},
///        cohorts/{id}/table   POST cohorts/{id}/cancel
///
/// @code
///   remote::ServerConfig config;
///   config.dataDir = "/var/lib/strata";
///   const pipeline::PipelineRegistry registry = standardPipelines();
///   remote::Server server(config, registry);
///   server.start();            // binds; throws Error when it cannot
///   std::cout << "listening on " << server.port() << '\n';
///   server.wait();             // until stop() from another thread
/// @endcode
class Server {
public:
    Server(ServerConfig config, const pipeline::PipelineRegistry& registry);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    /// Binds, recovers interrupted jobs, starts workers. Throws Error when it cannot.
    void start();
    /// The bound port (the free one chosen for ServerConfig::port 0).
    [[nodiscard]] int port() const;
    /// Serves until stop() (from another thread or a signal handler thread).
    void wait();
    void stop();

    /// The admin token created on first start ("" if tokens existed already).
    [[nodiscard]] const std::string& initialAdminToken() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// strata-server's command line (serve, token create|list|revoke, cert create). Returns the exit code.
int serverMain(int argc, char** argv);

} // namespace strata::remote

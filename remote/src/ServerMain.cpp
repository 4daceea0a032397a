#include "strata/Error.h"
#include "strata/StandardPipelines.h"
#include "strata/Version.h"
#include "strata/remote/Database.h"
#include "strata/remote/Log.h"
#include "strata/remote/RedisClient.h"
#include "strata/remote/SelftestPipeline.h"
#include "strata/remote/Server.h"
#include "strata/remote/Tls.h"

#include <CLI/CLI.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <pthread.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>

namespace strata::remote {

namespace {

void writeSecretFile(const std::filesystem::path& path, const std::string& text)
{
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0 || ::write(fd, text.data(), text.size()) != static_cast<ssize_t>(text.size())) {
        if (fd >= 0) ::close(fd);
        throw IoError("Cannot write '" + path.string() + "'.");
    }
    ::fchmod(fd, 0600);
    ::close(fd);
}

std::string date(std::int64_t t)
{
    if (t == 0) return "never";
    const std::time_t tt = static_cast<std::time_t>(t);
    std::tm tm{};
    ::gmtime_r(&tt, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
    return buf;
}

} // namespace

int serverMain(int argc, char** argv)
{
    CLI::App app{"strata-server: runs Strata's analyses for remote workstations over HTTP(S) with bearer tokens.\n"
                 "Without a subcommand it serves. Options also come from --config FILE (TOML/INI, same names)\n"
                 "and STRATA_SERVER_* environment variables; flags win over both."};
    app.set_version_flag("--version", std::string("strata-server ") + kVersion);
    app.set_config("--config", "", "Configuration file (TOML/INI: port = 8443, data-dir = \"/var/lib/strata\", ...)");
    app.require_subcommand(0, 1);
    app.fallthrough();
    app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast); // later flags override

    ServerConfig cfg;
    std::string dataDir = "strata-data", portFile, tlsCert, tlsKey, adminTokenFile;
    double maxUploadMiB = static_cast<double>(cfg.maxUploadBytes >> 20), quotaGiB = 0;
    app.add_option("--host", cfg.host, "Address to listen on (0.0.0.0 for every interface)")->envname("STRATA_SERVER_HOST")->capture_default_str();
    app.add_option("--port", cfg.port, "TCP port (0: any free port)")->envname("STRATA_SERVER_PORT")->capture_default_str();
    app.add_option("--data-dir,--data", dataDir, "Job store, uploads and results")->envname("STRATA_SERVER_DATA_DIR")->capture_default_str();
    app.add_option("--port-file", portFile, "Write the bound port to this file once listening")->envname("STRATA_SERVER_PORT_FILE");
    app.add_option("--tls-cert", tlsCert, "PEM certificate (chain): serve HTTPS")->envname("STRATA_SERVER_TLS_CERT");
    app.add_option("--tls-key", tlsKey, "PEM private key of --tls-cert")->envname("STRATA_SERVER_TLS_KEY");
    app.add_flag("--self-signed", cfg.selfSigned, "Serve HTTPS with a self-signed certificate (created in DATA/tls/ once; "
                                                  "its SHA-256 fingerprint is logged for pinning)")->envname("STRATA_SERVER_SELF_SIGNED");
    app.add_flag("--allow-anonymous", cfg.allowAnonymous, "Accept requests without a token (loopback host only)")->envname("STRATA_SERVER_ALLOW_ANONYMOUS");
    app.add_flag("--selftest-pipeline", cfg.selftestPipeline, "Offer the cheap 'selftest' pipeline (tests, smoke checks)")->envname("STRATA_SERVER_SELFTEST_PIPELINE");
    app.add_option("--workers", cfg.workers, "Jobs run at once (0: slots-per-gpu x GPUs, or 1 on CPU)")->envname("STRATA_SERVER_WORKERS")->capture_default_str();
    app.add_option("--slots-per-gpu", cfg.slotsPerGpu, "Concurrent jobs per GPU")->envname("STRATA_SERVER_SLOTS_PER_GPU")->capture_default_str();
    app.add_option("--threads-per-job", cfg.threadsPerJob, "CPU threads for jobs that ask for 0 (0: all cores)")->envname("STRATA_SERVER_THREADS_PER_JOB")->capture_default_str();
    app.add_option("--max-upload-mib", maxUploadMiB, "Largest upload (MiB)")->envname("STRATA_SERVER_MAX_UPLOAD_MIB")->capture_default_str();
    app.add_option("--max-input-files", cfg.maxInputFiles, "Most files in one folder input (a DICOM series)")->envname("STRATA_SERVER_MAX_INPUT_FILES")->capture_default_str();
    app.add_option("--max-chunk-bytes", cfg.maxChunkBytes, "Largest upload chunk (bytes)")->envname("STRATA_SERVER_MAX_CHUNK_BYTES")->capture_default_str();
    app.add_option("--max-voxels", cfg.maxVoxels, "Largest input image (voxels)")->envname("STRATA_SERVER_MAX_VOXELS")->capture_default_str();
    app.add_option("--max-queued-jobs", cfg.maxQueuedJobs, "Queued jobs before submissions get 429")->envname("STRATA_SERVER_MAX_QUEUED_JOBS")->capture_default_str();
    app.add_option("--max-attempts", cfg.maxAttempts, "Runs of a job interrupted by crashes before it is failed")
        ->envname("STRATA_SERVER_MAX_ATTEMPTS")
        ->check(CLI::Range(1, 1000))
        ->capture_default_str();
    app.add_option("--retention-hours", cfg.retentionHours, "Delete finished jobs and unused uploads after this")->envname("STRATA_SERVER_RETENTION_HOURS")->capture_default_str();
    app.add_option("--disk-quota-gib", quotaGiB, "Data directory quota (0: none); oldest results go first")->envname("STRATA_SERVER_DISK_QUOTA_GIB")->capture_default_str();
    app.add_option("--predict-max-batch", cfg.predictMaxBatch, "Predict requests per forward pass (1: no batching)")->envname("STRATA_SERVER_PREDICT_MAX_BATCH")->capture_default_str()->check(CLI::Range(1, 4096));
    app.add_option("--predict-max-wait-us", cfg.predictMaxWaitMicros, "How long a predict request waits for others to batch with (µs)")->envname("STRATA_SERVER_PREDICT_MAX_WAIT_US")->capture_default_str()->check(CLI::Range(0, 1000000));
    app.add_option("--max-predict-bytes", cfg.maxPredictBytes, "Largest image body of a predict request")->envname("STRATA_SERVER_MAX_PREDICT_BYTES")->capture_default_str();
    app.add_option("--http-threads", cfg.httpThreads, "Requests served at once (an open event stream holds one; connections still sending their request wait without one)")->envname("STRATA_SERVER_HTTP_THREADS")->capture_default_str();
    app.add_option("--max-header-bytes", cfg.maxHeaderBytes, "Largest request line + headers (bytes; more: 431)")->envname("STRATA_SERVER_MAX_HEADER_BYTES")->capture_default_str()->check(CLI::Range(1024, 1 << 24));
    app.add_option("--max-header-count", cfg.maxHeaderCount, "Most header lines per request (more: 431)")->envname("STRATA_SERVER_MAX_HEADER_COUNT")->capture_default_str()->check(CLI::Range(8, 10000));
    app.add_option("--header-timeout", cfg.headerTimeoutSeconds, "Seconds a client has to send a whole request head (else 408)")->envname("STRATA_SERVER_HEADER_TIMEOUT")->capture_default_str()->check(CLI::Range(0.1, 3600.0));
    app.add_option("--max-waiting-per-address", cfg.maxWaitingPerAddress, "New connections of one client address still sending their first request head (more: the oldest, if it waited 1 s, is dropped)")->envname("STRATA_SERVER_MAX_WAITING_PER_ADDRESS")->capture_default_str()->check(CLI::Range(1, 1000000));
    app.add_option("--auth-failures-per-minute", cfg.authFailuresPerMinute, "Requests without a valid token per address and minute before 429 (0: no limit)")->envname("STRATA_SERVER_AUTH_FAILURES_PER_MINUTE")->capture_default_str()->check(CLI::Range(0, 1000000));
    double jobMemoryGiB = 0;
    app.add_option("--max-job-memory-gib", jobMemoryGiB, "Memory one job may use (GiB; 0: 80 % of RAM / jobs at once); larger inputs are refused at submission")->envname("STRATA_SERVER_MAX_JOB_MEMORY_GIB")->capture_default_str()->check(CLI::Range(0.0, 1e6));
    app.add_option("--trusted-proxies", cfg.trustedProxies, "Peers (comma list, * for any) whose X-Forwarded-For names the client, e.g. Caddy in front; per-address limits then count clients, not the proxy")->envname("STRATA_SERVER_TRUSTED_PROXIES")->capture_default_str();
    app.add_option("--max-json-body-bytes", cfg.maxJsonBodyBytes, "Largest JSON request body (bytes)")->envname("STRATA_SERVER_MAX_JSON_BODY_BYTES")->capture_default_str();
    app.add_option("--queue", cfg.queueUrl, "Job queue: unset = built-in workers (SQLite); redis://host:port[/db] = "
                                            "strata-worker processes take the jobs (password: STRATA_REDIS_PASSWORD)")
        ->envname("STRATA_SERVER_QUEUE");
    app.add_option("--admin-token-file", adminTokenFile, "Also write the first admin token to this file (0600)")->envname("STRATA_SERVER_ADMIN_TOKEN_FILE");

    auto* token = app.add_subcommand("token", "Manage bearer tokens (works while the server runs)");
    token->require_subcommand(1);
    std::string tokenName;
    bool tokenAdmin = false;
    auto* tokenCreate = token->add_subcommand("create", "Create a token and print it (only this once)");
    tokenCreate->add_option("--name", tokenName, "Who or what uses it")->required();
    tokenCreate->add_flag("--admin", tokenAdmin, "May see and delete every user's jobs");
    token->add_subcommand("list", "List tokens (ids, names, last use; never the secrets)");
    std::string revokeId;
    auto* tokenRevoke = token->add_subcommand("revoke", "Revoke a token by id or name (takes effect at once)");
    tokenRevoke->add_option("id", revokeId, "Token id or name")->required();

    auto* cert = app.add_subcommand("cert", "Create a self-signed TLS certificate");
    std::string certOut = "tls";
    std::vector<std::string> certHosts;
    cert->add_option("--out", certOut, "Folder for cert.pem and key.pem")->capture_default_str();
    cert->add_option("--host", certHosts, "Host names or IP addresses clients use (repeatable)");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }
    cfg.dataDir = dataDir;
    cfg.portFile = portFile;
    cfg.tlsCert = tlsCert;
    cfg.tlsKey = tlsKey;
    cfg.maxUploadBytes = static_cast<std::uint64_t>(maxUploadMiB * 1024.0 * 1024.0);
    cfg.diskQuotaBytes = static_cast<std::uint64_t>(quotaGiB * 1024.0 * 1024.0 * 1024.0);
    cfg.maxJobMemoryBytes = static_cast<std::uint64_t>(jobMemoryGiB * 1024.0 * 1024.0 * 1024.0);
    if (const char* pw = std::getenv("STRATA_REDIS_PASSWORD")) cfg.redisPassword = pw;

    try {
        if (token->parsed()) {
            std::filesystem::create_directories(cfg.dataDir);
            Database db(cfg.dataDir / "strata.db");
            if (tokenCreate->parsed()) {
                auto [info, secret] = db.createToken(tokenName, tokenAdmin);
                std::cerr << "Token '" << info.name << "' (id " << info.id << ") created. It is shown only now:\n";
                std::cout << secret << '\n';
            } else if (tokenRevoke->parsed()) {
                if (!db.revokeToken(revokeId)) {
                    std::cerr << "strata-server: error: no live token with id or name '" << revokeId << "'.\n";
                    return 1;
                }
                std::cout << "Revoked " << revokeId << ".\n";
            } else {
                for (const auto& t : db.tokens()) {
                    std::cout << t.id << "  " << t.name << (t.admin ? "  admin" : "") << (t.revoked ? "  REVOKED" : "")
                              << "  created " << date(t.created) << "  last used " << date(t.lastUsed) << '\n';
                }
            }
            return 0;
        }
        if (cert->parsed()) {
            const std::filesystem::path dir(certOut);
            createSelfSignedCertificate(dir / "cert.pem", dir / "key.pem", certHosts);
            std::cout << "Wrote " << (dir / "cert.pem").string() << " and " << (dir / "key.pem").string()
                      << " (key 0600).\nSHA-256 fingerprint (for --pin / the Connections dialog):\n"
                      << certificateFingerprint(dir / "cert.pem") << '\n';
            return 0;
        }

        // Serve. Signals are taken by this thread with sigwait, so worker and HTTP threads never see them.
        sigset_t signals;
        sigemptyset(&signals);
        sigaddset(&signals, SIGINT);
        sigaddset(&signals, SIGTERM);
        pthread_sigmask(SIG_BLOCK, &signals, nullptr);
        std::signal(SIGPIPE, SIG_IGN);

        pipeline::PipelineRegistry registry = standardPipelines();
        if (cfg.selftestPipeline) registry.add(std::make_shared<SelftestPipeline>());
        // The port file says "ready": it is written last, after the first admin token and the certificate's
        // fingerprint are printed (a script - or a test - that waits for it and then reads the token raced them).
        const std::filesystem::path readyFile = cfg.portFile;
        cfg.portFile.clear();
        Server server(cfg, registry);
        server.start();
        if (!server.initialAdminToken().empty()) {
            std::cout << "strata-server: first start: created an admin token. It is shown only now (the server keeps "
                         "only its hash):\n"
                      << "admin token: " << server.initialAdminToken() << '\n';
            std::cout.flush();
            if (!adminTokenFile.empty()) writeSecretFile(adminTokenFile, server.initialAdminToken() + "\n");
        }
        if (cfg.selfSigned || !cfg.tlsCert.empty()) {
            const auto certFile = cfg.tlsCert.empty() ? cfg.dataDir / "tls" / "cert.pem" : cfg.tlsCert;
            std::cout << "TLS certificate SHA-256 fingerprint (pin it in the client): " << certificateFingerprint(certFile)
                      << '\n';
        }
        std::cout << "strata-server: listening on " << (cfg.tlsCert.empty() && !cfg.selfSigned ? "http" : "https") << "://"
                  << cfg.host << ":" << server.port() << std::endl;
        if (!readyFile.empty()) {
            const auto tmp = readyFile.string() + ".tmp";
            std::ofstream(tmp) << server.port() << '\n';
            std::filesystem::rename(tmp, readyFile);
        }
        int sig = 0;
        sigwait(&signals, &sig);
        logEvent("info", "signal", {{"signal", sig == SIGINT ? "SIGINT" : "SIGTERM"}});
        server.stop();
        return 0;
    } catch (const QueueUnavailable& e) {
        return logFatal("strata-server", e, kQueueUnavailableExit);
    } catch (const std::exception& e) {
        return logFatal("strata-server", e, 1);
    }
}

} // namespace strata::remote

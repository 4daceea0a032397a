#include "ServerImpl.h"

#include "DeviceInfo.h"
#include "HttpSupport.h"
#include "strata/SystemInfo.h"
#include "strata/io/DecodeScratch.h"
#include "strata/remote/Log.h"
#include "strata/remote/RedisJobQueue.h"
#include "strata/remote/Tls.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <unistd.h>

namespace strata::remote {

namespace {

void raiseOpenFileLimit()
{
    rlimit lim{};
    if (::getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
        lim.rlim_cur = std::min<rlim_t>(lim.rlim_max, 65536);
        ::setrlimit(RLIMIT_NOFILE, &lim);
    }
}

} // namespace

Server::Server(ServerConfig config, const pipeline::PipelineRegistry& registry)
    : impl_(std::make_unique<Impl>(std::move(config), registry))
{
}

Server::~Server()
{
    stop();
}

void Server::start()
{
    auto& d = *impl_;
    auto& cfg = d.ctx.config;
    if (cfg.allowAnonymous && !isLoopbackHost(cfg.host)) {
        throw InvalidArgument("Anonymous access is only allowed when the server listens on loopback (127.0.0.1 or ::1), "
                              "not on '" + cfg.host + "'.");
    }
    raiseOpenFileLimit(); // connections waiting for their request head each hold a socket
    // A server killed while it decoded a compressed DICOM upload left its decoded copies in the temporary folder.
    if (const auto stale = io::removeStaleDecodeScratch()) {
        logEvent("info", "stale_decode_scratch_removed", {{"count", stale}});
    }
    fs::create_directories(cfg.dataDir);
    fs::permissions(cfg.dataDir, fs::perms::owner_all, fs::perm_options::replace);
    cfg.dataDir = fs::canonical(cfg.dataDir);
    fs::create_directories(d.ctx.blobsDir());
    fs::create_directories(d.ctx.uploadsDir());
    fs::create_directories(cfg.dataDir / "jobs");
    d.ctx.db = std::make_unique<Database>(cfg.dataDir / "strata.db");
    // A kill between an upload's rename into blobs/ and its row leaves a file the store does not know: no client was
    // told it arrived (it uploads again), no job can use it; remove it.
    {
        std::error_code ec;
        for (const auto& e : fs::directory_iterator(d.ctx.blobsDir(), ec)) {
            const std::string name = e.path().filename().string();
            if (e.is_regular_file(ec) && !d.ctx.db->hasBlob(name)) {
                fs::remove(e.path(), ec);
                logEvent("warning", "orphaned_blob_removed", {{"sha256", name}});
            }
        }
    }
    if (d.ctx.db->liveTokenCount() == 0 && !cfg.allowAnonymous) {
        auto [info, secret] = d.ctx.db->createToken("admin", true);
        d.adminToken = secret;
        logEvent("info", "admin_token_created", {{"token_id", info.id}});
    }
    std::vector<std::string> requeued;
    if (cfg.queueUrl.empty()) {
        d.ctx.queue = std::make_unique<SqliteJobQueue>(*d.ctx.db, cfg.maxAttempts);
        requeued = d.ctx.queue->reclaim();
        for (const auto& id : requeued) logEvent("info", "job_requeued", {{"job", id}});
    } else { // strata-worker processes run the jobs; this server runs none itself
        auto redis = std::make_unique<RedisJobQueue>(RedisUrl::parse(cfg.queueUrl, cfg.redisPassword));
        redis->connect(); // QueueUnavailable: a clear message and exit code 3
        d.ctx.bridge = std::make_unique<WorkerEventBridge>(*redis, *d.ctx.db, cfg.dataDir,
                                                       [&d](const std::string& id, const json& e, bool terminal) {
                                                           d.ctx.hub.publish(id, e, terminal);
                                                       });
        d.ctx.queue = std::move(redis);
        requeued = d.ctx.bridge->start();
    }

    if (cfg.selfSigned && cfg.tlsCert.empty()) {
        cfg.tlsCert = cfg.dataDir / "tls" / "cert.pem";
        cfg.tlsKey = cfg.dataDir / "tls" / "key.pem";
        if (!fs::exists(cfg.tlsCert) || !fs::exists(cfg.tlsKey)) {
            // Names clients may use: the listen address, or for 0.0.0.0 this machine's name and IPv4 addresses.
            std::vector<std::string> hosts;
            if (!isLoopbackHost(cfg.host) && cfg.host != "0.0.0.0" && cfg.host != "::") {
                hosts.push_back(cfg.host);
            } else if (!isLoopbackHost(cfg.host)) {
                hosts.push_back(hostName());
                ifaddrs* addrs = nullptr;
                if (::getifaddrs(&addrs) == 0) {
                    for (ifaddrs* a = addrs; a; a = a->ifa_next) {
                        if (!a->ifa_addr || a->ifa_addr->sa_family != AF_INET) continue;
                        char buf[INET_ADDRSTRLEN];
                        ::inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(a->ifa_addr)->sin_addr, buf, sizeof buf);
                        if (!isLoopbackAddress(buf)) hosts.push_back(buf);
                    }
                    ::freeifaddrs(addrs);
                }
            }
            createSelfSignedCertificate(cfg.tlsCert, cfg.tlsKey, hosts);
        }
    }
    if (!cfg.tlsCert.empty() && cfg.tlsKey.empty()) throw InvalidArgument("--tls-cert needs --tls-key.");
    ConnectionLimits limits;
    limits.maxHeadBytes = cfg.maxHeaderBytes;
    limits.maxHeaderCount = cfg.maxHeaderCount;
    limits.headTimeout = std::chrono::milliseconds(static_cast<long long>(cfg.headerTimeoutSeconds * 1000));
    limits.maxWaitingPerAddress = cfg.maxWaitingPerAddress;
    limits.workerThreads = std::max(8, cfg.httpThreads);
    d.http = std::make_unique<GuardedHttpServer>(limits, cfg.tlsCert, cfg.tlsKey);
    if (!cfg.tlsCert.empty()) {
        logEvent("info", "tls", {{"certificate", cfg.tlsCert.string()}, {"sha256_fingerprint", certificateFingerprint(cfg.tlsCert)}});
    }
    d.http->set_payload_max_length(cfg.maxChunkBytes + (1 << 20));
    d.http->set_tcp_nodelay(true); // headers and body go out in separate writes: no Nagle + delayed-ACK 40 ms stalls
    d.routes();

    d.ctx.devices = describeDevices();
    const int gpus = static_cast<int>(d.ctx.devices["gpus"].size());
    d.ctx.workerCount = cfg.workers > 0 ? cfg.workers : (gpus > 0 ? gpus * std::max(1, cfg.slotsPerGpu) : 1);
    if (d.ctx.queue->external()) d.ctx.workerCount = 0;
    d.ctx.jobMemoryBudget = cfg.maxJobMemoryBytes;
    if (d.ctx.jobMemoryBudget == 0) {
        const auto pages = ::sysconf(_SC_PHYS_PAGES), pageSize = ::sysconf(_SC_PAGESIZE);
        const double ram = pages > 0 && pageSize > 0 ? static_cast<double>(pages) * static_cast<double>(pageSize) : 8e9;
        d.ctx.jobMemoryBudget = static_cast<std::uint64_t>(0.8 * ram / std::max(1, d.ctx.workerCount));
    }

    if (cfg.port == 0) {
        d.boundPort = d.http->bind_to_any_port(cfg.host);
    } else {
        d.boundPort = d.http->bind_to_port(cfg.host, cfg.port) ? cfg.port : -1;
    }
    if (d.boundPort <= 0) {
        throw Error("Cannot listen on " + cfg.host + ":" + std::to_string(cfg.port) +
                    " (address in use, or not an address of this machine).");
    }
    d.http->setListenBacklog(512); // httplib's 5 overflows under load: connections broke before a request was read
    d.workers.start(d.ctx.workerCount);
    d.janitor = std::jthread([&d](std::stop_token stop) {
        std::mutex m;
        std::condition_variable_any cv;
        while (!stop.stop_requested()) {
            try {
                d.jobs.cleanUp();
            } catch (const std::exception& e) {
                logEvent("error", "cleanup_error", {{"message", e.what()}});
            }
            std::unique_lock lock(m);
            cv.wait_for(lock, stop, std::chrono::seconds(60), [] { return false; });
        }
    });
    d.listener = std::thread([&d] {
        d.http->listen_after_bind();
        d.listenerDone = true;
    });
    // cpp-httplib 0.11's stop() does nothing until the accept loop has set is_running: a SIGTERM right after "ready"
    // left the loop running and stop() waiting on it for ever (yhirose/cpp-httplib#1371). Ready means accepting.
    while (!d.http->is_running() && !d.listenerDone) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    if (!cfg.portFile.empty()) {
        const auto tmp = cfg.portFile.string() + ".tmp";
        std::ofstream(tmp) << d.boundPort << '\n';
        fs::rename(tmp, cfg.portFile);
    }
    logEvent("info", "listening", {{"host", cfg.host}, {"port", d.boundPort}, {"tls", !cfg.tlsCert.empty()},
                                   {"workers", d.ctx.workerCount}, {"data_dir", cfg.dataDir.string()},
                                   {"queue", d.ctx.bridge ? RedisUrl::parse(cfg.queueUrl).display() : "sqlite"},
                                   {"device", d.ctx.devices["summary"]}, {"requeued_jobs", requeued.size()}});
}

int Server::port() const
{
    return impl_->boundPort;
}

void Server::wait()
{
    if (impl_->listener.joinable()) impl_->listener.join();
}

void Server::stop()
{
    auto& d = *impl_;
    if (d.ctx.shuttingDown.exchange(true)) {
        wait();
        return;
    }
    d.ctx.hub.shutdown();
    if (d.http) d.http->stop();
    d.workers.requestStop();
    if (d.ctx.queue) d.ctx.queue->wakeAll();
    d.workers.join();
    if (d.ctx.bridge) d.ctx.bridge->stop();
    d.janitor = {};
    wait();
    if (d.http) d.http->closeConnections();
    logEvent("info", "stopped");
}

const std::string& Server::initialAdminToken() const
{
    return impl_->adminToken;
}

} // namespace strata::remote

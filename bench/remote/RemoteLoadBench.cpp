// Bounded load test of strata-server on loopback: P pollers (GET job status / health) and S submitters
// (upload a small unique file, submit a "selftest" job) at once for D seconds, then every submitted job must
// finish. Prints latency percentiles per request kind; exits 1 if any request failed.
//
//   strata_remote_load_bench [--pollers 50] [--submitters 10] [--seconds 10] [--workers 2]
#include "ServerProcess.h"
#include "strata/Sha256.h"
#include "strata/remote/Client.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <thread>

using namespace strata;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

struct Recorder {
    std::mutex mutex;
    std::map<std::string, std::vector<double>> ms;
    std::map<std::string, int> failures;
    std::vector<std::string> firstErrors;

    template <typename F> bool time(const std::string& kind, F f)
    {
        const auto t0 = Clock::now();
        std::string error;
        bool ok = false;
        try {
            ok = f(error);
        } catch (const std::exception& e) {
            error = e.what();
        }
        const double d = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
        std::lock_guard lock(mutex);
        ms[kind].push_back(d);
        if (!ok) {
            ++failures[kind];
            if (firstErrors.size() < 10) firstErrors.push_back(kind + ": " + error);
        }
        return ok;
    }
};

double percentile(std::vector<double> v, double p)
{
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const auto i = static_cast<std::size_t>(p / 100.0 * static_cast<double>(v.size() - 1) + 0.5);
    return v[std::min(i, v.size() - 1)];
}

} // namespace

int main(int argc, char** argv)
{
    int pollers = 50, submitters = 10, seconds = 10, workers = 2;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        const int v = std::atoi(argv[i + 1]);
        if (a == "--pollers") pollers = v;
        else if (a == "--submitters") submitters = v;
        else if (a == "--seconds") seconds = v;
        else if (a == "--workers") workers = v;
        else {
            std::cerr << "usage: strata_remote_load_bench [--pollers N] [--submitters N] [--seconds N] [--workers N]\n";
            return 2;
        }
    }
    const auto dir = std::filesystem::temp_directory_path() / ("strata-load-" + std::to_string(::getpid()));
    strata::test::ServerProcess server(dir / "data", {"--workers", std::to_string(workers), "--http-threads", "256",
                                                      "--max-queued-jobs", "100000"});
    server.start();
    remote::Endpoint endpoint;
    endpoint.url = server.url();
    endpoint.token = server.adminToken();

    Recorder rec;
    std::mutex idsMutex;
    std::vector<std::string> ids;
    std::atomic<bool> stop{false};
    std::vector<std::thread> threads;
    for (int s = 0; s < submitters; ++s) {
        threads.emplace_back([&, s] {
            remote::ApiClient c(endpoint);
            for (int n = 0; !stop; ++n) {
                const std::string content = "submitter " + std::to_string(s) + " job " + std::to_string(n);
                const std::string sha = Sha256::ofBytes(std::as_bytes(std::span(content.data(), content.size())));
                rec.time("POST /uploads", [&](std::string& e) {
                    auto r = c.post("/uploads", {{"sha256", sha}, {"size", content.size()}, {"name", "x.txt"}});
                    e = r.errorMessage();
                    return r.status == 201 || r.status == 200;
                });
                rec.time("PUT /uploads/{sha}", [&](std::string& e) {
                    auto r = c.put("/uploads/" + sha, content);
                    e = r.errorMessage();
                    return r.status == 200 && r.body.value("complete", false);
                });
                rec.time("POST /jobs", [&](std::string& e) {
                    auto r = c.post("/jobs", {{"pipeline", "selftest"}, {"parameters", {{"steps", 2}, {"step_ms", 0}}},
                                              {"inputs", {{"file", {{"sha256", sha}, {"name", "x.txt"}}}}}});
                    e = r.errorMessage();
                    if (r.status == 202) {
                        std::lock_guard lock(idsMutex);
                        ids.push_back(r.body["id"]);
                    }
                    return r.status == 202;
                });
            }
        });
    }
    for (int p = 0; p < pollers; ++p) {
        threads.emplace_back([&, p] {
            remote::ApiClient c(endpoint);
            std::mt19937 rng(static_cast<unsigned>(p));
            while (!stop) {
                std::string id;
                {
                    std::lock_guard lock(idsMutex);
                    if (!ids.empty()) id = ids[rng() % ids.size()];
                }
                if (id.empty()) {
                    rec.time("GET /health", [&](std::string& e) {
                        auto r = c.get("/health");
                        e = r.errorMessage();
                        return r.status == 200;
                    });
                } else {
                    rec.time("GET /jobs/{id}", [&](std::string& e) {
                        auto r = c.get("/jobs/" + id);
                        e = r.errorMessage();
                        return r.status == 200;
                    });
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }
        });
    }
    const auto t0 = Clock::now();
    std::this_thread::sleep_for(std::chrono::seconds(seconds));
    stop = true;
    for (auto& t : threads) t.join();
    const double elapsed = std::chrono::duration<double>(Clock::now() - t0).count();

    // Every submitted job must finish.
    remote::ApiClient c(endpoint);
    int succeeded = 0, other = 0;
    const auto deadline = Clock::now() + std::chrono::seconds(120);
    for (const auto& id : ids) {
        for (;;) {
            const auto r = c.get("/jobs/" + id);
            const std::string state = r.body.is_object() ? r.body.value("state", "") : "";
            if (state == "succeeded") { ++succeeded; break; }
            if (state == "failed" || state == "cancelled" || r.status != 200 || Clock::now() > deadline) { ++other; break; }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }
    server.stop();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);

    std::printf("strata-server load: %d pollers + %d submitters for %.1f s on loopback, %d workers\n", pollers,
                submitters, elapsed, workers);
    std::printf("%-20s %8s %8s %8s %8s %8s %8s %6s\n", "request", "count", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms",
                "failed");
    int failures = 0;
    for (const auto& [kind, v] : rec.ms) {
        const int f = rec.failures[kind];
        failures += f;
        std::printf("%-20s %8zu %8.0f %8.1f %8.1f %8.1f %8.1f %6d\n", kind.c_str(), v.size(),
                    static_cast<double>(v.size()) / elapsed, percentile(v, 50), percentile(v, 90), percentile(v, 99),
                    percentile(v, 100), f);
    }
    std::printf("jobs submitted %zu, succeeded %d, not succeeded %d\n", ids.size(), succeeded, other);
    for (const auto& e : rec.firstErrors) std::printf("  error: %s\n", e.c_str());
    return failures == 0 && other == 0 ? 0 : 1;
}

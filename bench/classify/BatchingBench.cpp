// Low-latency classification: requests/s and p50/p99 latency of concurrent single-image requests, with dynamic
// batching (BatchingClassifier) vs without (one forward pass per request), in-process, same model, same run.
//
//   strata_batching_bench [--model DIR] [--seconds S] [--clients 1,4,16,64] [--json FILE]
#include "strata/ModelLocator.h"
#include "strata/classify/BatchingClassifier.h"
#include "strata/inference/ClassificationModel.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>

using namespace strata;
using Clock = std::chrono::steady_clock;

namespace {

struct Result {
    double requestsPerSecond{0};
    double p50Ms{0};
    double p99Ms{0};
    double meanBatch{1};
};

double percentile(std::vector<double>& v, double q)
{
    if (v.empty()) return 0;
    const auto k = static_cast<std::size_t>(q * (v.size() - 1));
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
    return v[k];
}

/// clients threads, each sending one request after the other (closed loop) for `seconds`.
template <typename Predict> Result measure(int clients, double seconds, std::size_t inputSize, Predict predict)
{
    std::vector<std::vector<double>> latencies(static_cast<std::size_t>(clients));
    std::atomic<bool> stop{false};
    std::vector<std::thread> threads;
    const auto t0 = Clock::now();
    for (int c = 0; c < clients; ++c) {
        threads.emplace_back([&, c] {
            std::mt19937 rng(static_cast<unsigned>(c));
            std::uniform_real_distribution<float> u(0.0f, 1.0f);
            std::vector<float> x(inputSize);
            while (!stop.load(std::memory_order_relaxed)) {
                for (auto& v : x) v = u(rng);
                const auto s = Clock::now();
                predict(x);
                latencies[static_cast<std::size_t>(c)].push_back(std::chrono::duration<double, std::milli>(Clock::now() - s).count());
            }
        });
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    stop = true;
    for (auto& t : threads) t.join();
    const double elapsed = std::chrono::duration<double>(Clock::now() - t0).count();
    std::vector<double> all;
    for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
    Result r;
    r.requestsPerSecond = all.size() / elapsed;
    r.p50Ms = percentile(all, 0.50);
    r.p99Ms = percentile(all, 0.99);
    return r;
}

} // namespace

int main(int argc, char** argv)
{
    std::string modelDir, clientsArg = "1,4,16,64", jsonOut;
    double seconds = 3.0;
    int maxBatch = 32, waitUs = 2000;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--model" && i + 1 < argc) modelDir = argv[++i];
        else if (a == "--seconds" && i + 1 < argc) seconds = std::stod(argv[++i]);
        else if (a == "--clients" && i + 1 < argc) clientsArg = argv[++i];
        else if (a == "--max-batch" && i + 1 < argc) maxBatch = std::stoi(argv[++i]);
        else if (a == "--wait-us" && i + 1 < argc) waitUs = std::stoi(argv[++i]);
        else if (a == "--json" && i + 1 < argc) jsonOut = argv[++i];
        else {
            std::cerr << "usage: strata_batching_bench [--model DIR] [--seconds S] [--clients 1,4,16,64] "
                         "[--max-batch N] [--wait-us T] [--json FILE]\n";
            return 2;
        }
    }
    auto model = inference::ClassificationModel::load(
        modelDir.empty() ? findModelDir("fashion") : std::filesystem::path(modelDir), {});
    const std::size_t in = model->inputSize(), out = static_cast<std::size_t>(model->classCount());
    std::mutex modelMutex;
    auto forward = [&](std::span<const float> x, std::size_t n) {
        std::lock_guard lock(modelMutex); // one forward pass at a time: the model uses every core itself
        return model->predict(x, n);
    };
    // Warm up: TorchScript's profiling executor optimises the graph during the first passes of each shape.
    for (std::size_t n : {std::size_t(1), std::size_t(maxBatch), std::size_t(1), std::size_t(maxBatch / 2 + 1)}) {
        for (int i = 0; i < 5; ++i) {
            forward(std::vector<float>(n * in, 0.5f), n);
        }
    }
    std::printf("model %s on %s; batching: up to %d requests or %d us\n", model->card().name.c_str(),
                model->deviceDescription().c_str(), maxBatch, waitUs);
    std::printf("%8s | %-34s | %-34s | %s\n", "clients", "without batching: req/s  p50  p99", "with batching: req/s  p50  p99",
                "speed-up");
    nlohmann::json j = nlohmann::json::array();
    std::stringstream ss(clientsArg);
    for (std::string item; std::getline(ss, item, ',');) {
        const int clients = std::stoi(item);
        const Result plain = measure(clients, seconds, in, [&](const std::vector<float>& x) { return forward(x, 1); });
        classify::BatchingClassifier batcher(forward, in, out,
                                             {static_cast<std::size_t>(maxBatch), std::chrono::microseconds(waitUs)});
        Result batched = measure(clients, seconds, in, [&](const std::vector<float>& x) { return batcher.predict(x); });
        batched.meanBatch = batcher.stats().meanBatch();
        std::printf("%8d | %9.0f %7.2f ms %7.2f ms | %9.0f %7.2f ms %7.2f ms | %.2fx (mean batch %.1f)\n", clients,
                    plain.requestsPerSecond, plain.p50Ms, plain.p99Ms, batched.requestsPerSecond, batched.p50Ms,
                    batched.p99Ms, batched.requestsPerSecond / plain.requestsPerSecond, batched.meanBatch);
        j.push_back({{"clients", clients},
                     {"without", {{"rps", plain.requestsPerSecond}, {"p50_ms", plain.p50Ms}, {"p99_ms", plain.p99Ms}}},
                     {"with", {{"rps", batched.requestsPerSecond}, {"p50_ms", batched.p50Ms}, {"p99_ms", batched.p99Ms},
                               {"mean_batch", batched.meanBatch}}}});
    }
    if (!jsonOut.empty()) {
        std::ofstream(jsonOut) << j.dump(2) << "\n";
    }
    return 0;
}

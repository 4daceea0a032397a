// The server's synchronous prediction endpoint under load: closed-loop HTTP clients on loopback, each POSTing
// a 28 x 28 Fashion-MNIST-sized PNG to /api/v1/models/fashion/predict and waiting for the answer, against one
// strata-server without batching (--predict-max-batch 1) and one with (32 requests or 2 ms), in the same run.
//
//   strata_predict_bench [--seconds S] [--clients 1,8,32] [--wait-us T]
#include "ServerProcess.h"
#include "strata/remote/Client.h"

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <sstream>
#include <thread>
#include <unistd.h>

using namespace strata;
using Clock = std::chrono::steady_clock;

namespace {

struct Result {
    double rps{0}, p50{0}, p99{0};
    int failures{0};
};

double percentile(std::vector<double> v, double q)
{
    if (v.empty()) return 0;
    const auto k = static_cast<std::size_t>(q * static_cast<double>(v.size() - 1));
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
    return v[k];
}

Result measure(const remote::Endpoint& endpoint, int clients, double seconds, const std::vector<std::string>& images)
{
    std::vector<std::vector<double>> lat(static_cast<std::size_t>(clients));
    std::atomic<int> failures{0};
    std::atomic<bool> stop{false};
    std::vector<std::thread> threads;
    const auto t0 = Clock::now();
    for (int c = 0; c < clients; ++c) {
        threads.emplace_back([&, c] {
            remote::ApiClient client(endpoint);
            for (std::size_t n = static_cast<std::size_t>(c); !stop.load(); ++n) {
                const auto s = Clock::now();
                const auto r = client.postRaw("/models/fashion/predict?top_k=1", images[n % images.size()], "image/png");
                if (r.status != 200) ++failures;
                lat[static_cast<std::size_t>(c)].push_back(std::chrono::duration<double, std::milli>(Clock::now() - s).count());
            }
        });
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    stop = true;
    for (auto& t : threads) t.join();
    const double elapsed = std::chrono::duration<double>(Clock::now() - t0).count();
    std::vector<double> all;
    for (auto& l : lat) all.insert(all.end(), l.begin(), l.end());
    return {static_cast<double>(all.size()) / elapsed, percentile(all, 0.5), percentile(all, 0.99), failures.load()};
}

} // namespace

int main(int argc, char** argv)
{
    double seconds = 3;
    int waitUs = 2000;
    std::vector<int> clientCounts{1, 8, 32};
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i], v = argv[i + 1];
        if (a == "--seconds") seconds = std::stod(v);
        else if (a == "--wait-us") waitUs = std::stoi(v);
        else if (a == "--clients") {
            clientCounts.clear();
            std::stringstream ss(v);
            for (std::string item; std::getline(ss, item, ',');) clientCounts.push_back(std::stoi(item));
        } else {
            std::cerr << "usage: strata_predict_bench [--seconds S] [--clients 1,8,32] [--wait-us T]\n";
            return 2;
        }
    }
    // A few different 28 x 28 grey PNGs (random blobs; what they show does not change the cost).
    std::vector<std::string> images;
    cv::RNG rng(7);
    for (int i = 0; i < 16; ++i) {
        cv::Mat m(28, 28, CV_8UC1, cv::Scalar(0));
        cv::randu(m(cv::Rect(4 + i % 5, 3, 18, 22)), cv::Scalar(80), cv::Scalar(255));
        std::vector<unsigned char> buf;
        cv::imencode(".png", m, buf);
        images.emplace_back(buf.begin(), buf.end());
    }
    const auto dir = std::filesystem::temp_directory_path() / ("strata-predict-" + std::to_string(::getpid()));
    std::printf("| clients | without batching: req/s | p50 ms | p99 ms | with batching: req/s | p50 ms | p99 ms | ratio |\n");
    std::printf("|---|---|---|---|---|---|---|---|\n");
    std::vector<std::vector<Result>> results(2);
    int failures = 0;
    for (int mode = 0; mode < 2; ++mode) {
        test::ServerProcess server(dir / (mode ? "batched" : "single"),
                                   {"--predict-max-batch", mode ? "32" : "1", "--predict-max-wait-us", std::to_string(waitUs),
                                    "--http-threads", "128"});
        if (!server.start()) {
            std::cerr << "strata-server did not start\n";
            return 1;
        }
        remote::Endpoint endpoint;
        endpoint.url = server.url();
        endpoint.token = server.adminToken();
        measure(endpoint, 2, 0.5, images); // warm-up: the model loads on the first request
        for (int clients : clientCounts) {
            results[static_cast<std::size_t>(mode)].push_back(measure(endpoint, clients, seconds, images));
            failures += results[static_cast<std::size_t>(mode)].back().failures;
        }
    }
    for (std::size_t i = 0; i < clientCounts.size(); ++i) {
        const auto& a = results[0][i];
        const auto& b = results[1][i];
        std::printf("| %d | %.0f | %.1f | %.1f | %.0f | %.1f | %.1f | %.2fx |\n", clientCounts[i], a.rps, a.p50, a.p99, b.rps, b.p50,
                    b.p99, a.rps > 0 ? b.rps / a.rps : 0.0);
    }
    std::filesystem::remove_all(dir);
    if (failures) {
        std::cerr << failures << " requests failed\n";
        return 1;
    }
    return 0;
}

#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

namespace strata::classify {

/// Dynamic batching for low-latency prediction: callers on any thread submit one input each; a worker
/// collects concurrent requests until it has maxBatch of them or the oldest has waited maxWait, runs the
/// batch function once for all of them and hands every caller its own output. Thread-safe.
class BatchingClassifier {
public:
    /// Runs count inputs (count x inputSize floats, row by row) and returns count x outputSize floats.
    using BatchFn = std::function<std::vector<float>(std::span<const float> inputs, std::size_t count)>;

    /// When a batch is run: as soon as it holds maxBatch requests, or when its first request has waited maxWait.
    struct Options {
        std::size_t maxBatch{32};
        std::chrono::microseconds maxWait{2000}; ///< how long the first request of a batch may wait for others
    };

    /// Counts since construction (stats()), for tuning maxBatch and maxWait.
    struct Stats {
        std::uint64_t requests{0};
        std::uint64_t batches{0};
        std::size_t largestBatch{0};
        [[nodiscard]] double meanBatch() const { return batches ? static_cast<double>(requests) / batches : 0.0; }
    };

    BatchingClassifier(BatchFn fn, std::size_t inputSize, std::size_t outputSize, Options options);
    /// Finishes the requests already submitted, then stops the worker.
    ~BatchingClassifier();
    BatchingClassifier(const BatchingClassifier&) = delete;
    BatchingClassifier& operator=(const BatchingClassifier&) = delete;

    /// Queues one input (inputSize floats; InvalidArgument otherwise). The future holds outputSize floats, or
    /// the batch function's exception.
    [[nodiscard]] std::future<std::vector<float>> submit(std::vector<float> input);
    /// submit(input).get()
    [[nodiscard]] std::vector<float> predict(std::vector<float> input);

    [[nodiscard]] Stats stats() const;
    [[nodiscard]] const Options& options() const { return options_; }

private:
    /// One submitted input and the promise its caller waits on.
    struct Request {
        std::vector<float> input;
        std::promise<std::vector<float>> result;
        std::chrono::steady_clock::time_point arrived;
    };

    void workerLoop();
    void runBatch(std::vector<Request>& batch);

    BatchFn fn_;
    std::size_t inputSize_;
    std::size_t outputSize_;
    Options options_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Request> queue_;
    bool stopping_{false};
    Stats stats_;
    std::thread worker_;
};

} // namespace strata::classify

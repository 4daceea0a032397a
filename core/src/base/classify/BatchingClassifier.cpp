#include "strata/classify/BatchingClassifier.h"

#include "strata/Error.h"

#include <algorithm>

namespace strata::classify {

BatchingClassifier::BatchingClassifier(BatchFn fn, std::size_t inputSize, std::size_t outputSize, Options options)
    : fn_(std::move(fn)), inputSize_(inputSize), outputSize_(outputSize), options_(options)
{
    if (!fn_ || inputSize_ == 0 || outputSize_ == 0) {
        throw InvalidArgument("BatchingClassifier needs a batch function and non-zero input and output sizes.");
    }
    options_.maxBatch = std::max<std::size_t>(1, options_.maxBatch);
    worker_ = std::thread([this] { workerLoop(); });
}

BatchingClassifier::~BatchingClassifier()
{
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    worker_.join();
}

std::future<std::vector<float>> BatchingClassifier::submit(std::vector<float> input)
{
    if (input.size() != inputSize_) {
        throw InvalidArgument("Classifier input has " + std::to_string(input.size()) + " values, expected " +
                              std::to_string(inputSize_) + ".");
    }
    Request r{std::move(input), {}, std::chrono::steady_clock::now()};
    auto future = r.result.get_future();
    {
        std::lock_guard lock(mutex_);
        if (stopping_) {
            throw Error("BatchingClassifier is shutting down.");
        }
        queue_.push_back(std::move(r));
    }
    wake_.notify_one();
    return future;
}

std::vector<float> BatchingClassifier::predict(std::vector<float> input)
{
    return submit(std::move(input)).get();
}

BatchingClassifier::Stats BatchingClassifier::stats() const
{
    std::lock_guard lock(mutex_);
    return stats_;
}

void BatchingClassifier::workerLoop()
{
    std::unique_lock lock(mutex_);
    while (true) {
        wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) {
            return; // stopping, nothing left
        }
        // The oldest request sets the deadline; a full batch (or shutdown) goes at once.
        const auto deadline = queue_.front().arrived + options_.maxWait;
        wake_.wait_until(lock, deadline, [&] { return stopping_ || queue_.size() >= options_.maxBatch; });
        std::vector<Request> batch;
        const std::size_t n = std::min(queue_.size(), options_.maxBatch);
        batch.reserve(n);
        for (std::size_t i = 0; i < n; ++i) {
            batch.push_back(std::move(queue_.front()));
            queue_.pop_front();
        }
        stats_.requests += n;
        stats_.batches += 1;
        stats_.largestBatch = std::max(stats_.largestBatch, n);
        lock.unlock();
        runBatch(batch);
        lock.lock();
    }
}

void BatchingClassifier::runBatch(std::vector<Request>& batch)
{
    try {
        std::vector<float> inputs;
        inputs.reserve(batch.size() * inputSize_);
        for (const auto& r : batch) {
            inputs.insert(inputs.end(), r.input.begin(), r.input.end());
        }
        const std::vector<float> out = fn_(inputs, batch.size());
        if (out.size() != batch.size() * outputSize_) {
            throw Error("The batch function returned " + std::to_string(out.size()) + " values for " +
                        std::to_string(batch.size()) + " inputs (expected " + std::to_string(outputSize_) + " each).");
        }
        for (std::size_t i = 0; i < batch.size(); ++i) {
            const auto first = out.begin() + static_cast<std::ptrdiff_t>(i * outputSize_);
            batch[i].result.set_value(std::vector<float>(first, first + static_cast<std::ptrdiff_t>(outputSize_)));
        }
    } catch (...) {
        for (auto& r : batch) {
            try {
                r.result.set_exception(std::current_exception());
            } catch (const std::future_error&) {
                // this caller already has its result
            }
        }
    }
}

} // namespace strata::classify

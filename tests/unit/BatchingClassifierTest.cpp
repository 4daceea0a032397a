// BatchingClassifier: concurrent requests are merged into batches, every caller gets its own output,
// limits (batch size, wait) hold, errors reach the callers.
#include "strata/Error.h"
#include "strata/classify/BatchingClassifier.h"
#include "strata/classify/TopLabels.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <mutex>
#include <thread>

using namespace strata;
using namespace strata::classify;
using namespace std::chrono_literals;

namespace {

/// out = {sum of inputs, first input}; records the batch sizes it saw.
struct FakeModel {
    std::mutex mutex;
    std::vector<std::size_t> batches;
    std::chrono::milliseconds cost{5};

    BatchingClassifier::BatchFn fn()
    {
        return [this](std::span<const float> in, std::size_t n) {
            {
                std::lock_guard lock(mutex);
                batches.push_back(n);
            }
            std::this_thread::sleep_for(cost);
            std::vector<float> out;
            for (std::size_t i = 0; i < n; ++i) {
                out.push_back(in[i * 3] + in[i * 3 + 1] + in[i * 3 + 2]);
                out.push_back(in[i * 3]);
            }
            return out;
        };
    }
};

} // namespace

TEST(BatchingClassifier, ConcurrentRequestsShareBatchesAndGetTheirOwnResults)
{
    FakeModel model;
    BatchingClassifier bc(model.fn(), 3, 2, {8, 20ms});
    constexpr int kThreads = 32;
    std::vector<std::vector<float>> results(kThreads);
    {
        std::vector<std::jthread> callers;
        for (int t = 0; t < kThreads; ++t) {
            callers.emplace_back([&, t] {
                const float v = static_cast<float>(t);
                results[t] = bc.predict({v, v, 1.0f});
            });
        }
    }
    for (int t = 0; t < kThreads; ++t) {
        ASSERT_EQ(results[t].size(), 2u);
        EXPECT_FLOAT_EQ(results[t][0], 2.0f * t + 1.0f);
        EXPECT_FLOAT_EQ(results[t][1], static_cast<float>(t));
    }
    const auto s = bc.stats();
    EXPECT_EQ(s.requests, static_cast<std::uint64_t>(kThreads));
    EXPECT_LE(s.largestBatch, 8u);
    EXPECT_LT(s.batches, static_cast<std::uint64_t>(kThreads)); // requests were merged
    EXPECT_GT(s.meanBatch(), 2.0);
}

TEST(BatchingClassifier, ALoneRequestWaitsAtMostMaxWait)
{
    FakeModel model;
    model.cost = 0ms;
    BatchingClassifier bc(model.fn(), 3, 2, {64, 30ms});
    const auto t0 = std::chrono::steady_clock::now();
    const auto out = bc.predict({1, 2, 3});
    const auto waited = std::chrono::steady_clock::now() - t0;
    EXPECT_FLOAT_EQ(out[0], 6.0f);
    EXPECT_GE(waited, 25ms);
    EXPECT_LT(waited, 500ms);
}

TEST(BatchingClassifier, AFullBatchRunsWithoutWaiting)
{
    FakeModel model;
    model.cost = 0ms;
    BatchingClassifier bc(model.fn(), 3, 2, {4, 10s});
    std::vector<std::future<std::vector<float>>> futures;
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < 4; ++i) {
        futures.push_back(bc.submit({1, 1, 1}));
    }
    for (auto& f : futures) {
        EXPECT_FLOAT_EQ(f.get()[0], 3.0f);
    }
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 2s);
    EXPECT_EQ(model.batches, std::vector<std::size_t>{4});
}

TEST(BatchingClassifier, ErrorsReachEveryCallerOfTheBatchAndBadInputsAreRefused)
{
    BatchingClassifier bc([](std::span<const float>, std::size_t) -> std::vector<float> { throw Error("model broke"); }, 3, 2,
                          {4, 1ms});
    auto a = bc.submit({1, 2, 3});
    auto b = bc.submit({1, 2, 3});
    EXPECT_THROW(a.get(), Error);
    EXPECT_THROW(b.get(), Error);
    EXPECT_THROW((void)bc.submit({1, 2}), InvalidArgument);
    BatchingClassifier wrongSize([](std::span<const float>, std::size_t) { return std::vector<float>{1}; }, 3, 2, {4, 1ms});
    EXPECT_THROW((void)wrongSize.predict({1, 2, 3}), Error);
}

TEST(BatchingClassifier, DestructionFinishesQueuedRequests)
{
    FakeModel model;
    std::vector<std::future<std::vector<float>>> futures;
    {
        BatchingClassifier bc(model.fn(), 3, 2, {2, 50ms});
        for (int i = 0; i < 7; ++i) {
            futures.push_back(bc.submit({1, 0, 0}));
        }
    }
    for (auto& f : futures) {
        EXPECT_FLOAT_EQ(f.get()[0], 1.0f);
    }
}

TEST(TopLabels, BestFirstWithNames)
{
    const std::vector<float> p{0.1f, 0.5f, 0.05f, 0.35f};
    const auto top = topLabels(p, {"a", "b", "c", "d"}, 2);
    ASSERT_EQ(top.size(), 2u);
    EXPECT_EQ(top[0].label, "b");
    EXPECT_EQ(top[1].id, 3);
    EXPECT_FLOAT_EQ(top[1].probability, 0.35f);
    EXPECT_EQ(topLabels(p, {}, 10).size(), 4u);
    EXPECT_EQ(topLabels(p, {}, 1)[0].label, "class 1");
}

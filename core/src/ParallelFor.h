#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace strata {

/// Number of worker threads to use: `requested`, or the hardware concurrency when 0.
inline unsigned workerCount(unsigned requested)
{
    if (requested > 0) return requested;
    return std::max(1u, std::thread::hardware_concurrency());
}

/// Calls fn(i) for every i in [0, n) on `threads` std::jthreads that take indices one by one.
/// Each index must be independent of the others so results do not depend on the thread count.
/// The first exception thrown by fn is rethrown after all threads have joined.
template <typename Fn> void parallelFor(std::size_t n, unsigned threads, Fn&& fn)
{
    const unsigned count = static_cast<unsigned>(std::min<std::size_t>(std::max(1u, threads), n));
    if (count <= 1) {
        for (std::size_t i = 0; i < n; ++i) fn(i);
        return;
    }
    std::atomic<std::size_t> nextIndex{0};
    std::exception_ptr error;
    std::mutex errorMutex;
    {
        std::vector<std::jthread> workers;
        workers.reserve(count);
        for (unsigned t = 0; t < count; ++t) {
            workers.emplace_back([&] {
                for (;;) {
                    const std::size_t i = nextIndex.fetch_add(1);
                    if (i >= n) return;
                    try {
                        fn(i);
                    } catch (...) {
                        const std::scoped_lock lock(errorMutex);
                        if (!error) error = std::current_exception();
                        nextIndex.store(n);
                        return;
                    }
                }
            });
        }
    }
    if (error) std::rethrow_exception(error);
}

} // namespace strata

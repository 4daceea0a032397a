#include "inference/CancellableForward.h"

#include "strata/Error.h"

#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>
#include <thread>

namespace strata::inference {
namespace {

struct Abandoned {
    std::mutex mutex;
    std::condition_variable done;
    int running{0};
};

Abandoned& abandoned()
{
    static auto* state = new Abandoned; // never destroyed: workers may outlive static destruction
    return *state;
}

struct Pass {
    torch::jit::Module module;
    torch::Tensor input;
    std::promise<torch::Tensor> result;
    std::mutex mutex;
    bool abandoned{false};
};

} // namespace

torch::Tensor forwardCancellable(torch::jit::Module module, torch::Tensor input, std::stop_token stop,
                                 const std::function<void(double)>& waiting, std::chrono::milliseconds poll)
{
    auto pass = std::make_shared<Pass>();
    pass->module = std::move(module);
    pass->input = std::move(input);
    auto future = pass->result.get_future();
    std::thread([pass] {
        try {
            c10::InferenceMode guard;
            pass->result.set_value(pass->module.forward({pass->input}).toTensor());
        } catch (...) {
            pass->result.set_exception(std::current_exception());
        }
        std::lock_guard lock(pass->mutex);
        if (pass->abandoned) {
            auto& state = abandoned();
            std::lock_guard stateLock(state.mutex);
            --state.running;
            state.done.notify_all();
        }
    }).detach();

    const auto start = std::chrono::steady_clock::now();
    auto nextBeat = start + std::chrono::seconds(1);
    while (future.wait_for(poll) != std::future_status::ready) {
        const auto now = std::chrono::steady_clock::now();
        if (waiting && now >= nextBeat) {
            nextBeat += std::chrono::seconds(1);
            waiting(std::chrono::duration<double>(now - start).count());
        }
        if (stop.stop_requested()) {
            std::lock_guard lock(pass->mutex);
            if (future.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
                pass->abandoned = true;
                auto& state = abandoned();
                std::lock_guard stateLock(state.mutex);
                ++state.running;
                throw Cancelled();
            }
        }
    }
    return future.get();
}

int abandonedForwardsRunning()
{
    auto& state = abandoned();
    std::lock_guard lock(state.mutex);
    return state.running;
}

bool waitForAbandonedForwards(std::chrono::milliseconds timeout)
{
    auto& state = abandoned();
    std::unique_lock lock(state.mutex);
    return state.done.wait_for(lock, timeout, [&] { return state.running == 0; });
}

} // namespace strata::inference

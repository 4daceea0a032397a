#pragma once

#include <torch/script.h>

#include <chrono>
#include <functional>
#include <stop_token>

namespace strata::inference {

/// Runs module.forward(input) on a worker thread and waits for it, watching stop every few milliseconds.
/// A forward pass cannot be interrupted, so on a stop request the pass is abandoned: the worker owns
/// (reference-counted handles to) everything it touches, finishes on its own, and this function throws
/// Cancelled at once. This is what lets the sliding window use tiles big enough for the network to see
/// a whole knee (which bones it is looking at) while a cancel still lands within a fraction of a second.
/// Exceptions of the pass (c10::Error, out of memory) are rethrown here.
/// waiting (optional) is called about once a second with the seconds spent so far (a heartbeat for progress).
torch::Tensor forwardCancellable(torch::jit::Module module, torch::Tensor input, std::stop_token stop,
                                 const std::function<void(double)>& waiting = {},
                                 std::chrono::milliseconds poll = std::chrono::milliseconds(20));

/// Abandoned passes still running (for tests and for a clean process exit).
int abandonedForwardsRunning();
/// Waits until no abandoned pass runs or the timeout passes; returns whether none runs.
bool waitForAbandonedForwards(std::chrono::milliseconds timeout);

} // namespace strata::inference

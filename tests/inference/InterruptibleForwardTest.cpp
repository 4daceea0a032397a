// The knee network run one operation at a time (issue 24, item 8: a cancel frees the cores at once).
#include "inference/InterruptibleForward.h"
#include "strata/Error.h"

#include <gtest/gtest.h>
#include <torch/script.h>
#include <torch/torch.h>

#include <stdexcept>

#ifndef STRATA_KNEE_MODEL
#error "STRATA_KNEE_MODEL must name the knee TorchScript file"
#endif

using strata::inference::InterruptibleForward;

namespace {

torch::jit::Module kneeNetwork()
{
    auto module = torch::jit::load(STRATA_KNEE_MODEL);
    module.eval();
    return module;
}

torch::Tensor input(std::int64_t z, std::int64_t y, std::int64_t x)
{
    torch::manual_seed(24);
    return torch::randn({1, 1, z, y, x});
}

} // namespace

TEST(InterruptibleForward, GivesTheNetworksOutput)
{
    c10::InferenceMode guard;
    auto module = kneeNetwork();
    const auto x = input(24, 40, 32);
    const torch::Tensor expected = module.forward({x}).toTensor();

    InterruptibleForward whole(module, {0.0});
    ASSERT_TRUE(whole.piecewise());
    EXPECT_TRUE(torch::equal(whole.run(x, {}), expected));
    const std::size_t steps = whole.lastSteps();
    EXPECT_GT(steps, 40u); // every convolution, normalisation, activation, up-sampling and concatenation

    // Every convolution of a few thousand multiply-adds or more split into slabs along depth: the same output up to
    // float rounding, the same labels. (Bit for bit where the CPU's convolution kernel does not depend on the slab's
    // shape - the Intel machines of earlier sessions; on an AMD EPYC oneDNN sums in another order: 6e-6 of 13.)
    InterruptibleForward slabs(module, {2e6});
    const torch::Tensor split = slabs.run(x, {});
    EXPECT_TRUE(torch::allclose(split, expected, 1e-5, 1e-4))
        << "max |difference| " << (split - expected).abs().max().item<double>();
    EXPECT_TRUE(torch::equal(split.argmax(1), expected.argmax(1)));
    EXPECT_GT(slabs.lastSteps(), 3 * steps);
    // The step count is known beforehand (for progress within a pass): exact when nothing is split, within a few
    // steps when the slabs are worked out from the cost on a small pass.
    EXPECT_EQ(whole.estimateSteps({1, 1, 24, 40, 32}), steps);
    const double estimate = static_cast<double>(slabs.estimateSteps({1, 1, 24, 40, 32}));
    EXPECT_NEAR(estimate, static_cast<double>(slabs.lastSteps()), 0.1 * static_cast<double>(slabs.lastSteps()));
}

TEST(InterruptibleForward, AThrowingCheckpointStopsThePassThere)
{
    c10::InferenceMode guard;
    InterruptibleForward forward(kneeNetwork(), {2e6});
    const auto x = input(24, 40, 32);
    forward.run(x, {});
    const std::size_t total = forward.lastSteps();

    std::size_t calls = 0;
    EXPECT_THROW(forward.run(x,
                             [&] {
                                 if (++calls == total / 3) {
                                     throw strata::Cancelled();
                                 }
                             }),
                 strata::Cancelled);
    // No step ran after the cancel: the pass stopped on this thread, nothing was left running elsewhere.
    EXPECT_EQ(calls, total / 3);
    EXPECT_EQ(forward.lastSteps(), total / 3);
}

TEST(InterruptibleForward, NoStepOfAKneeSizedTileIsLong)
{
    // A whole knee (256 x 256 x 160, the default single tile) has convolutions of 36 G multiply-adds (3.2 s of a
    // 14 s pass on two cores); split at 4 G no step is more than a small share of the pass (measured: 97 steps,
    // the longest 0.5 s of 15 s; the same pass unsplit took 13.4 s). A ratio, so a loaded machine does not fail it.
    c10::InferenceMode guard;
    InterruptibleForward forward(kneeNetwork(), {4e9});
    const auto x = input(160, 256, 256);
    std::size_t steps = 0;
    std::vector<double> times;
    auto last = std::chrono::steady_clock::now();
    forward.run(x, [&] {
        const auto now = std::chrono::steady_clock::now();
        times.push_back(std::chrono::duration<double>(now - last).count());
        last = now;
        ++steps;
    });
    times.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - last).count());
    double total = 0, longest = 0;
    for (double t : times) {
        total += t;
        longest = std::max(longest, t);
    }
    RecordProperty("steps", static_cast<int>(steps));
    RecordProperty("longest_step_ms", static_cast<int>(longest * 1000));
    RecordProperty("total_ms", static_cast<int>(total * 1000));
    const std::size_t estimate = forward.estimateSteps({1, 1, 160, 256, 256});
    std::cout << steps << " steps (estimated " << estimate << "), longest " << longest << " s of " << total << " s\n";
    EXPECT_NEAR(static_cast<double>(estimate), static_cast<double>(steps), 0.1 * static_cast<double>(steps));
    EXPECT_GT(steps, 90u);
    // Unsplit, the largest convolution is ~23 % of the pass.
    EXPECT_LT(longest, 0.12 * total);
}

// The super-resolution network (2D, ESRGAN family) is walked the same way: a cancel between its layers.
TEST(InterruptibleForward, SuperResolutionNetworkToo)
{
    c10::InferenceMode guard;
    auto module = torch::jit::load(STRATA_SR_MODEL);
    module.eval();
    torch::manual_seed(5);
    const auto x = torch::rand({1, 3, 24, 32});
    InterruptibleForward forward(module, {});
    ASSERT_TRUE(forward.piecewise());
    EXPECT_TRUE(torch::equal(forward.run(x, {}), module.forward({x}).toTensor()));
    EXPECT_GT(forward.lastSteps(), 10u);
}

// Pages of an activation read front to back for the last time go back to the system (issue 17, inference memory).
#include "inference/ConsumedDepth.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

using strata::inference::ConsumedDepth;

namespace {

at::Tensor ramp() // 2 channels of 64^3 floats, each element its own index + 1 (none is 0)
{
    return torch::arange(1, 2 * 64 * 64 * 64 + 1, torch::kFloat).view({1, 2, 64, 64, 64}).clone();
}

} // namespace

TEST(ConsumedDepth, ReleasesOnlyTheDepthsRead)
{
    at::Tensor t = ramp();
    ConsumedDepth consumed(t);
    ASSERT_TRUE(consumed.active());
    consumed.releaseBelow(32);
    const at::Tensor expected = ramp();
    // What is still to be read is intact in both channels ...
    EXPECT_TRUE(torch::equal(t.slice(2, 32, 64), expected.slice(2, 32, 64)));
    // ... and the whole pages below depth 32 were given back: the kernel hands them out again zero-filled.
    EXPECT_EQ(t[0][0][8].abs().sum().item<float>(), 0.0f); // (a page shared with what lies before is kept)
    EXPECT_EQ(t[0][1][16].abs().sum().item<float>(), 0.0f);
    consumed.releaseBelow(16); // never backwards
    EXPECT_TRUE(torch::equal(t.slice(2, 32, 64), expected.slice(2, 32, 64)));
}

TEST(ConsumedDepth, NothingIsReleasedThatSomeoneElseHolds)
{
    at::Tensor t = ramp();
    const at::Tensor other = t;            // a second holder
    const at::Tensor view = ramp().slice(2, 0, 32); // a view
    for (const at::Tensor* x : {static_cast<const at::Tensor*>(&t), &view}) {
        ConsumedDepth consumed(*x);
        EXPECT_FALSE(consumed.active());
        consumed.releaseBelow(64);
    }
    EXPECT_TRUE(torch::equal(t, ramp()));
    EXPECT_TRUE(torch::equal(view, ramp().slice(2, 0, 32)));
    at::Tensor fourD = torch::ones({2, 64, 64, 64});
    EXPECT_FALSE(ConsumedDepth(fourD).active());
}

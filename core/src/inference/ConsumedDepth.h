#pragma once

#include <torch/torch.h>

#include <cstdint>

namespace strata::inference {

/// A walked network's activation that is read front to back along depth for the last time (a convolution run in
/// slabs, a skip connection copied into its join) can give its memory back as it goes: the pages that hold only
/// depths already read are returned to the system (madvise MADV_DONTNEED), so the input shrinks while the output
/// grows instead of both being resident at once. Only for a tensor nobody else can read again.
class ConsumedDepth {
public:
    /// Active when `t` is a contiguous CPU tensor of 5 dimensions (N, C, D, H, W) and the caller's `t` is the only
    /// holder of it and of its storage (no view, no other reference): the caller reads it front to back and drops
    /// it afterwards. Otherwise nothing is ever released.
    explicit ConsumedDepth(const at::Tensor& t);

    bool active() const { return data_ != nullptr; }

    /// Gives back every whole page of each (n, c) block that holds only depths below `depth` (the caller reads
    /// nothing below it again). Pages shared with depths still to be read are kept.
    void releaseBelow(std::int64_t depth);

private:
    char* data_{nullptr};
    std::int64_t blocks_{0}, depth_{0}, released_{0};
    std::uintptr_t plane_{0}; ///< bytes of one depth plane of one block
};

} // namespace strata::inference

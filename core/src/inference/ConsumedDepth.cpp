#include "inference/ConsumedDepth.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>

namespace strata::inference {

ConsumedDepth::ConsumedDepth(const at::Tensor& t)
{
    const bool sole = t.defined() && t.use_count() == 1 && t.storage().use_count() == 1 && !t.is_view();
    if (!sole || t.dim() != 5 || !t.device().is_cpu() || !t.is_contiguous() || t.storage_offset() != 0 ||
        t.numel() == 0) {
        return;
    }
    data_ = static_cast<char*>(t.data_ptr());
    blocks_ = t.size(0) * t.size(1);
    depth_ = t.size(2);
    plane_ = static_cast<std::uintptr_t>(t.size(3) * t.size(4)) * static_cast<std::uintptr_t>(t.element_size());
}

void ConsumedDepth::releaseBelow(std::int64_t depth)
{
    depth = std::min(depth, depth_);
    if (!active() || depth <= released_) return;
    released_ = depth;
    const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
    const std::uintptr_t block = static_cast<std::uintptr_t>(depth_) * plane_;
    for (std::int64_t b = 0; b < blocks_; ++b) {
        const auto start = reinterpret_cast<std::uintptr_t>(data_) + static_cast<std::uintptr_t>(b) * block;
        const std::uintptr_t end = start + static_cast<std::uintptr_t>(depth) * plane_;
        const std::uintptr_t from = (start + page - 1) / page * page, to = end / page * page; // whole pages inside
        if (to > from) ::madvise(reinterpret_cast<void*>(from), to - from, MADV_DONTNEED);
    }
}

} // namespace strata::inference

#pragma once

#include <torch/script.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace strata::inference {

/// Runs a TorchScript module's forward one operation at a time on the calling thread, calling `checkpoint`
/// before each step, so that a checkpoint that throws (a cancel) stops the computation there: nothing is left
/// running. The module's method graphs are walked as long as they hold only constants, attribute reads, list
/// construction, aten operations and calls of submodules' methods; a method with control flow or function calls
/// (a Conv3d's _conv_forward, BatchNorm's forward) is called whole, as one step. Large 3D convolutions (stride 1,
/// or transposed with kernel = stride) can be split into slabs along depth so that no step takes much longer than
/// about `maxStepCost` multiply-adds; the slabs give the whole convolution's results up to float rounding (bit for
/// bit where the CPU's kernel does not depend on the slab's depth; on an AMD EPYC oneDNN sums in another order).
class InterruptibleForward {
public:
    struct Options {
        /// Split a convolution whose estimated cost (multiply-adds + 50 per element read or written) exceeds this
        /// into slabs of at most this cost; 0 = never split (what a GPU wants: its passes are short).
        double maxStepCost{0.0};
    };

    InterruptibleForward(torch::jit::Module module, Options options);

    /// Whether the module's forward can be walked (else run() makes it one step).
    bool piecewise() const { return piecewise_; }

    /// module.forward(input) as a tensor; checkpoint is called before every step (and may throw).
    torch::Tensor run(const torch::Tensor& input, const std::function<void()>& checkpoint);

    /// Steps the last run() took (checkpoints called).
    std::size_t lastSteps() const { return steps_; }

    /// About how many steps run() takes on an input of this shape (N, C, D, H, W): counted on a pass over a 16^3
    /// input with every convolution's slabs worked out for the full size (their cost grows with the voxels), so a
    /// long pass can report how far it is. Milliseconds; 0 when the forward cannot be walked.
    std::size_t estimateSteps(const std::vector<std::int64_t>& shape);

private:
    struct Walker;
    torch::jit::Module module_;
    Options options_;
    bool piecewise_{false};
    std::size_t steps_{0};
    double countScale_{0.0}; ///< estimateSteps: full-size voxels per voxel of the small pass
};

} // namespace strata::inference

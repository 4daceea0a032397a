#pragma once

#include <torch/torch.h>

#include <string>
#include <vector>

namespace strata::inference {

/// "auto" → CUDA when available else CPU; "cuda" → CUDA or an Error; "cpu" → CPU. Notes go to messages.
torch::Device chooseDevice(const std::string& requested, std::vector<std::string>& messages);
/// Sets LibTorch's intra-op threads (0 = all cores).
void configureCpuThreads(int threads);
std::string describeDevice(const torch::Device& device, bool half);

} // namespace strata::inference

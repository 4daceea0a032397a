#pragma once

#include "strata/inference/InferenceOptions.h"
#include "strata/inference/ModelCard.h"

#include <torch/script.h>

#include <filesystem>
#include <string>
#include <vector>

namespace strata::inference {

/// A model card's TorchScript file, loaded for inference: checksum verified, CPU threads set, device chosen
/// (notes in `messages`), eval mode, fp16 on CUDA when the options ask for it.
struct LoadedTorchScript {
    torch::jit::Module module;
    torch::Device device{torch::kCPU};
    bool half{false};

    /// Throws IoError for a checksum mismatch or a file that is not TorchScript.
    static LoadedTorchScript load(const ModelCard& card, const std::filesystem::path& modelDir,
                                  const InferenceOptions& options, std::vector<std::string>& messages);
};

} // namespace strata::inference

#include "inference/TorchScriptLoader.h"

#include "inference/TorchDevice.h"
#include "strata/Error.h"

namespace strata::inference {

LoadedTorchScript LoadedTorchScript::load(const ModelCard& card, const std::filesystem::path& modelDir,
                                          const InferenceOptions& options, std::vector<std::string>& messages)
{
    card.verifyChecksum(modelDir);
    configureCpuThreads(options.threads);
    LoadedTorchScript out;
    out.device = chooseDevice(options.device, messages);
    const auto path = card.modelPath(modelDir);
    try {
        out.module = torch::jit::load(path.string(), out.device);
    } catch (const c10::Error& e) {
        throw IoError("Cannot load model '" + path.string() + "': not a valid TorchScript file (" +
                      std::string(e.what_without_backtrace()).substr(0, 200) + ").");
    }
    out.module.eval();
    if (out.device.is_cuda() && options.halfPrecision) {
        out.half = true;
        out.module.to(torch::kHalf);
    }
    return out;
}

} // namespace strata::inference

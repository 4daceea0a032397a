#include "strata/inference/ClassificationModel.h"

#include "inference/TorchDevice.h"
#include "inference/TorchScriptLoader.h"
#include "strata/Error.h"

#include <torch/script.h>
#include <torch/torch.h>

#include <cstring>

namespace strata::inference {

struct ClassificationModel::Impl {
    ModelCard card;
    torch::jit::Module module;
    torch::Device device{torch::kCPU};
    bool half{false};
    std::vector<std::string> messages;
};

ClassificationModel::ClassificationModel(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ClassificationModel::~ClassificationModel() = default;

const ModelCard& ClassificationModel::card() const { return impl_->card; }
int ClassificationModel::inputWidth() const { return impl_->card.inputSize[0]; }
int ClassificationModel::inputHeight() const { return impl_->card.inputSize[1]; }
int ClassificationModel::classCount() const { return impl_->card.outputChannels; }
std::size_t ClassificationModel::inputSize() const
{
    return static_cast<std::size_t>(impl_->card.inputChannels) * inputWidth() * inputHeight();
}
std::string ClassificationModel::deviceDescription() const { return describeDevice(impl_->device, impl_->half); }
const std::vector<std::string>& ClassificationModel::messages() const { return impl_->messages; }

std::unique_ptr<ClassificationModel> ClassificationModel::load(const std::filesystem::path& modelDir,
                                                               const InferenceOptions& options)
{
    auto impl = std::make_unique<Impl>();
    impl->card = ModelCard::load(modelDir);
    if (impl->card.task != "classification") {
        throw IoError("Model '" + impl->card.name + "' is a " + impl->card.task + " model, not an image classifier.");
    }
    if (impl->card.inputSize[0] < 1 || impl->card.inputSize[1] < 1) {
        throw IoError("Model card of '" + impl->card.name + "' has no input_size [width, height].");
    }
    auto loaded = LoadedTorchScript::load(impl->card, modelDir, options, impl->messages);
    impl->module = std::move(loaded.module);
    impl->device = loaded.device;
    impl->half = loaded.half;
    return std::unique_ptr<ClassificationModel>(new ClassificationModel(std::move(impl)));
}

std::vector<float> ClassificationModel::predict(std::span<const float> inputs, std::size_t count)
{
    if (inputs.size() != count * inputSize()) {
        throw InvalidArgument("Classifier input holds " + std::to_string(inputs.size()) + " floats, expected " +
                              std::to_string(count) + " x " + std::to_string(inputSize()) + ".");
    }
    std::vector<float> out(count * static_cast<std::size_t>(classCount()));
    if (count == 0) {
        return out;
    }
    c10::InferenceMode guard;
    const auto n = static_cast<std::int64_t>(count);
    torch::Tensor x = torch::from_blob(const_cast<float*>(inputs.data()),
                                       {n, impl_->card.inputChannels, inputHeight(), inputWidth()}, torch::kFloat);
    x = x.to(impl_->device, impl_->half ? torch::kHalf : torch::kFloat);
    torch::Tensor logits = impl_->module.forward({x}).toTensor();
    if (logits.dim() != 2 || logits.size(0) != n || logits.size(1) != classCount()) {
        throw Error("Model '" + impl_->card.name + "' returned an output of unexpected shape.");
    }
    torch::Tensor p = torch::softmax(logits.to(torch::kCPU, torch::kFloat), 1).contiguous();
    std::memcpy(out.data(), p.data_ptr<float>(), out.size() * sizeof(float));
    return out;
}

} // namespace strata::inference

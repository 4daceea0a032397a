#include "strata/inference/SuperResolutionModel.h"

#include "inference/CancellableForward.h"
#include "inference/InterruptibleForward.h"
#include "inference/TorchDevice.h"
#include "inference/TorchScriptLoader.h"
#include "strata/Error.h"
#include "strata/Progress.h"

#include <torch/script.h>
#include <torch/torch.h>

#include <cstring>

namespace strata::inference {

struct SuperResolutionModel::Impl {
    ModelCard card;
    torch::jit::Module module;
    torch::Device device{torch::kCPU};
    bool half{false};
    int scale{1};
    int radius{16};
    std::vector<std::string> messages;
};

SuperResolutionModel::SuperResolutionModel(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SuperResolutionModel::~SuperResolutionModel() = default;

const ModelCard& SuperResolutionModel::card() const { return impl_->card; }
int SuperResolutionModel::scale() const { return impl_->scale; }
int SuperResolutionModel::receptiveRadius() const { return impl_->radius; }
std::string SuperResolutionModel::deviceDescription() const { return describeDevice(impl_->device, impl_->half); }
const std::vector<std::string>& SuperResolutionModel::messages() const { return impl_->messages; }

std::unique_ptr<SuperResolutionModel> SuperResolutionModel::load(const std::filesystem::path& modelDir,
                                                                 const InferenceOptions& options)
{
    auto impl = std::make_unique<Impl>();
    impl->card = ModelCard::load(modelDir);
    if (impl->card.task != "super-resolution") {
        throw IoError("Model '" + impl->card.name + "' is a " + impl->card.task + " model, not a super-resolution model.");
    }
    impl->scale = impl->card.raw.value("scale", 0);
    if (impl->scale < 1 || impl->scale > 16 || impl->card.inputChannels != 3 || impl->card.outputChannels != 3) {
        throw IoError("Model card of '" + impl->card.name + "' needs \"scale\" (1..16) and 3 input and output channels.");
    }
    impl->radius = std::max(1, impl->card.raw.value("receptive_field_radius", 16));
    auto loaded = LoadedTorchScript::load(impl->card, modelDir, options, impl->messages);
    impl->module = std::move(loaded.module);
    impl->device = loaded.device;
    impl->half = loaded.half;
    return std::unique_ptr<SuperResolutionModel>(new SuperResolutionModel(std::move(impl)));
}

std::vector<float> SuperResolutionModel::upscale(std::span<const float> planar, int count, int width, int height,
                                                 std::stop_token stop)
{
    if (count < 0 || width < 1 || height < 1 ||
        planar.size() != static_cast<std::size_t>(count) * 3 * static_cast<std::size_t>(width) * height) {
        throw InvalidArgument("Super-resolution input holds " + std::to_string(planar.size()) + " floats, expected " +
                              std::to_string(count) + " x 3 x " + std::to_string(height) + " x " + std::to_string(width) + ".");
    }
    const int s = impl_->scale;
    std::vector<float> out(static_cast<std::size_t>(count) * 3 * static_cast<std::size_t>(width) * s * height * s);
    if (count == 0) {
        return out;
    }
    c10::InferenceMode guard;
    torch::Tensor x = torch::from_blob(const_cast<float*>(planar.data()), {count, 3, height, width}, torch::kFloat);
    torch::Tensor y;
    for (int attempt = 0;; ++attempt) {
        try {
            // One operation at a time where the network allows it (a cancel stops at the next one, nothing keeps
            // running); else the pass in flight is abandoned on a stop.
            const torch::Tensor in = x.to(impl_->device, impl_->half ? torch::kHalf : torch::kFloat);
            InterruptibleForward forward(impl_->module, {});
            y = forward.piecewise() ? forward.run(in, [&] { throwIfStopped(stop); }) : forwardCancellable(impl_->module, in, stop);
            break;
        } catch (const c10::Error& e) {
            const std::string what = e.what_without_backtrace();
            if (!impl_->device.is_cuda() || what.find("out of memory") == std::string::npos || attempt > 0) {
                throw Error("Super-resolution inference failed: " + what.substr(0, 300));
            }
            impl_->messages.push_back("GPU out of memory: running on the CPU (use a smaller tile).");
            impl_->device = torch::kCPU;
            impl_->half = false;
            impl_->module.to(torch::kCPU, torch::kFloat);
        }
    }
    if (y.dim() != 4 || y.size(0) != count || y.size(1) != 3 || y.size(2) != height * s || y.size(3) != width * s) {
        throw Error("Model '" + impl_->card.name + "' returned an output of unexpected shape.");
    }
    y = y.to(torch::kCPU, torch::kFloat).clamp(0.0, 1.0).contiguous();
    std::memcpy(out.data(), y.data_ptr<float>(), out.size() * sizeof(float));
    return out;
}

} // namespace strata::inference

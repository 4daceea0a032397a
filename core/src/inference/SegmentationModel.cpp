#include "strata/inference/SegmentationModel.h"

#include "inference/ConsumedDepth.h"
#include "inference/CancellableForward.h"
#include "inference/InterruptibleForward.h"
#include "inference/SlidingWindow.h"
#include "inference/TorchDevice.h"
#include "inference/TorchScriptLoader.h"
#include "strata/Error.h"

#include <torch/script.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <utility>
#include <vector>

namespace strata::inference {

namespace {

/// softmax(logits, 1) in depth slabs, each slab's logits given back once its probabilities exist: the two 10-class
/// volumes are never both resident (the same values: softmax along channels is computed per voxel).
torch::Tensor probabilities(torch::Tensor logits)
{
    logits = logits.to(torch::kFloat);
    ConsumedDepth consumed(logits);
    if (!consumed.active()) return torch::softmax(logits, 1);
    torch::Tensor prob = torch::empty_like(logits);
    const std::int64_t depth = logits.size(2), slabs = std::min<std::int64_t>(depth, 8);
    for (std::int64_t k = 0; k < slabs; ++k) {
        const std::int64_t d0 = depth * k / slabs, d1 = depth * (k + 1) / slabs;
        prob.slice(2, d0, d1).copy_(torch::softmax(logits.slice(2, d0, d1), 1));
        consumed.releaseBelow(d1);
    }
    return prob;
}
/// Largest step of a CPU forward pass (multiply-adds, see InterruptibleForward): about 0.3 s on two cores, so a
/// cancel frees the cores within that; splitting the convolutions costs a few per cent.
constexpr double kCpuStepCost = 4e9;
} // namespace

struct SegmentationModel::Impl {
    ModelCard card;
    torch::jit::Module module;
    torch::Device device{torch::kCPU};
    bool half{false};
    InferenceOptions options;
    std::vector<std::string> messages;
    std::filesystem::path path;
    std::filesystem::path directory;
    std::size_t messagesAtLoad{0};
    std::string lastTiling;
    std::vector<LabelConfidence> lastConfidence;
    /// Steps of a CPU forward pass per input shape (InterruptibleForward::estimateSteps), for progress within a pass.
    std::pair<std::vector<std::int64_t>, std::size_t> stepsPerPass;

    void moveToCpu(const std::string& why)
    {
        messages.push_back(why + "; continuing on the CPU.");
        device = torch::Device(torch::kCPU);
        half = false;
        module.to(device, torch::kFloat);
    }
};

SegmentationModel::SegmentationModel(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SegmentationModel::~SegmentationModel() = default;

const ModelCard& SegmentationModel::card() const
{
    return impl_->card;
}

const std::filesystem::path& SegmentationModel::directory() const
{
    return impl_->directory;
}

const InferenceOptions& SegmentationModel::options() const
{
    return impl_->options;
}

std::size_t SegmentationModel::messagesAtLoad() const
{
    return impl_->messagesAtLoad;
}

const std::vector<std::string>& SegmentationModel::messages() const
{
    return impl_->messages;
}

const std::string& SegmentationModel::lastTiling() const
{
    return impl_->lastTiling;
}

const std::vector<SegmentationModel::LabelConfidence>& SegmentationModel::lastConfidence() const
{
    return impl_->lastConfidence;
}

bool SegmentationModel::waitForAbandonedPasses(std::chrono::milliseconds timeout)
{
    return waitForAbandonedForwards(timeout);
}

std::string SegmentationModel::deviceDescription() const
{
    return describeDevice(impl_->device, impl_->half);
}

std::unique_ptr<SegmentationModel> SegmentationModel::load(const std::filesystem::path& modelDir,
                                                           const InferenceOptions& options)
{
    auto impl = std::make_unique<Impl>();
    impl->card = ModelCard::load(modelDir);
    if (impl->card.task != "segmentation3d") {
        throw IoError("Model '" + impl->card.name + "' is a " + impl->card.task + " model, not a 3D segmentation model.");
    }
    impl->options = options;
    impl->path = impl->card.modelPath(modelDir);
    auto loaded = LoadedTorchScript::load(impl->card, modelDir, options, impl->messages);
    impl->module = std::move(loaded.module);
    impl->device = loaded.device;
    impl->half = loaded.half;
    impl->directory = modelDir;
    impl->messagesAtLoad = impl->messages.size();
    return std::unique_ptr<SegmentationModel>(new SegmentationModel(std::move(impl)));
}

namespace {

/// The box [lo, hi) of the voxels above the volume's minimum (by more than a rounding error of resampling); the
/// whole volume when nothing is above it.
struct SignalBox {
    std::int64_t lo[3]{0, 0, 0}, hi[3]{0, 0, 0};
    [[nodiscard]] std::int64_t extent(int a) const { return hi[a] - lo[a]; }
};

SignalBox signalBox(std::span<const float> volume, const std::int64_t dims[3])
{
    SignalBox box;
    const auto [lowest, highest] = std::minmax_element(volume.begin(), volume.end());
    const float threshold = *lowest + 1e-4f * (*highest - *lowest) + 1e-6f;
    std::int64_t lo[3]{dims[0], dims[1], dims[2]}, hi[3]{-1, -1, -1};
    const float* v = volume.data();
    for (std::int64_t z = 0; z < dims[2]; ++z) {
        for (std::int64_t y = 0; y < dims[1]; ++y, v += dims[0]) {
            std::int64_t first = -1, last = -1;
            for (std::int64_t x = 0; x < dims[0]; ++x) {
                if (v[x] > threshold) {
                    if (first < 0) first = x;
                    last = x;
                }
            }
            if (first < 0) continue;
            lo[0] = std::min(lo[0], first);
            hi[0] = std::max(hi[0], last);
            lo[1] = std::min(lo[1], y);
            hi[1] = std::max(hi[1], y);
            lo[2] = std::min(lo[2], z);
            hi[2] = std::max(hi[2], z);
        }
    }
    for (int a = 0; a < 3; ++a) {
        if (hi[a] < 0) { // no signal: the whole volume
            for (int b = 0; b < 3; ++b) box.hi[b] = dims[b];
            return box;
        }
        box.lo[a] = lo[a];
        box.hi[a] = hi[a] + 1;
    }
    return box;
}

} // namespace

std::vector<std::uint8_t> SegmentationModel::segment(std::span<const float> volume, Size3 size, std::stop_token stop,
                                                     const ProgressFn& progress)
{
    const std::int64_t dims[3]{static_cast<std::int64_t>(size[0]), static_cast<std::int64_t>(size[1]),
                               static_cast<std::int64_t>(size[2])};
    if (volume.size() != static_cast<std::size_t>(dims[0] * dims[1] * dims[2])) {
        throw InvalidArgument("Volume buffer does not match its size.");
    }
    if (volume.empty()) return segmentWhole(volume, size, stop, progress);
    const SignalBox box = signalBox(volume, dims);
    const double kept = static_cast<double>(box.extent(0)) * static_cast<double>(box.extent(1)) *
                        static_cast<double>(box.extent(2)) / static_cast<double>(volume.size());
    if (kept > 0.95) return segmentWhole(volume, size, stop, progress);

    // The signal box only; the rest is background (label 0, probability 1 for the confidence figures).
    const Size3 cropSize{static_cast<std::size_t>(box.extent(0)), static_cast<std::size_t>(box.extent(1)),
                         static_cast<std::size_t>(box.extent(2))};
    std::vector<float> crop(cropSize[0] * cropSize[1] * cropSize[2]);
    for (std::int64_t z = 0; z < box.extent(2); ++z) {
        for (std::int64_t y = 0; y < box.extent(1); ++y) {
            const float* from = volume.data() + ((box.lo[2] + z) * dims[1] + box.lo[1] + y) * dims[0] + box.lo[0];
            std::copy(from, from + box.extent(0), crop.begin() + (z * box.extent(1) + y) * box.extent(0));
        }
    }
    const std::vector<std::uint8_t> inner = segmentWhole(crop, cropSize, stop, progress);
    std::vector<std::uint8_t> out(volume.size(), 0);
    for (std::int64_t z = 0; z < box.extent(2); ++z) {
        for (std::int64_t y = 0; y < box.extent(1); ++y) {
            const auto from = inner.begin() + (z * box.extent(1) + y) * box.extent(0);
            std::copy(from, from + box.extent(0),
                      out.begin() + ((box.lo[2] + z) * dims[1] + box.lo[1] + y) * dims[0] + box.lo[0]);
        }
    }
    Impl& m = *impl_;
    const std::uint64_t outside = volume.size() - inner.size();
    if (!m.lastConfidence.empty()) {
        m.lastConfidence[0].voxels += outside;
        m.lastConfidence[0].sumMaxProbability += static_cast<double>(outside);
    }
    m.lastTiling += " in the signal box " + std::to_string(box.extent(0)) + " x " + std::to_string(box.extent(1)) +
                    " x " + std::to_string(box.extent(2)) + " of " + std::to_string(dims[0]) + " x " +
                    std::to_string(dims[1]) + " x " + std::to_string(dims[2]);
    return out;
}

std::vector<std::uint8_t> SegmentationModel::segmentWhole(std::span<const float> volume, Size3 size,
                                                          std::stop_token stop, const ProgressFn& progress)
{
    Impl& m = *impl_;
    const auto X = static_cast<std::int64_t>(size[0]);
    const auto Y = static_cast<std::int64_t>(size[1]);
    const auto Z = static_cast<std::int64_t>(size[2]);
    const std::int64_t C = m.card.outputChannels;
    const std::int64_t dims[3]{X, Y, Z};
    // Tiles as large as a whole knee on every device: the network tells femur from tibia and medial from
    // lateral by what else it sees (tiles of 600k voxels cost 0.1-0.4 Dice on the bones). A cancel does not
    // wait for a tile: the pass runs one operation at a time (big CPU convolutions in slabs) and stops at the
    // next one; a network that cannot be walked that way is abandoned in flight (forwardCancellable).
    const long long budget = m.options.maxTileVoxels > 0 ? m.options.maxTileVoxels : kDefaultMaxTileVoxels;
    const TilePlan plan = planTiles(dims, budget, m.options.minOverlapVoxels);
    const std::int64_t px = plan.tile[0], py = plan.tile[1], pz = plan.tile[2];
    // Pad small volumes up to one tile with the volume's minimum (background after normalisation).
    const std::int64_t Xp = std::max(X, px), Yp = std::max(Y, py), Zp = std::max(Z, pz);
    const float padValue = volume.empty() ? 0.0f : *std::min_element(volume.begin(), volume.end());

    c10::InferenceMode guard;
    torch::Tensor input = torch::full({Zp, Yp, Xp}, padValue, torch::kFloat);
    input.slice(0, 0, Z).slice(1, 0, Y).slice(2, 0, X).copy_(
        torch::from_blob(const_cast<float*>(volume.data()), {Z, Y, X}, torch::kFloat));

    m.lastTiling = std::to_string(plan.count()) + (plan.count() == 1 ? " tile of " : " tiles of ") + std::to_string(px) + " x " + std::to_string(py) +
                   " x " + std::to_string(pz);
    struct Tile {
        std::int64_t z, y, x;
    };
    std::vector<Tile> tiles;
    for (auto z : plan.starts[2])
        for (auto y : plan.starts[1])
            for (auto x : plan.starts[0])
                tiles.push_back({z, y, x});

    auto weightsCpu = torch::from_blob(gaussianTileWeights(pz, py, px).data(), {pz, py, px}, torch::kFloat).clone();
    // acc: the Gaussian-weighted sum of the tiles' probabilities. It is allocated after the first pass (the network
    // never runs beside an empty one), and one tile needs none: its weighted probabilities are the blend, computed
    // in place (0 + p w = p w exactly). On a CPU a whole knee is one tile: peak memory drops by two volumes of
    // C floats (the accumulator and the product's temporary), 1.3 GB for 256 x 256 x 160 and 10 classes.
    torch::Tensor acc;
    torch::Tensor weights;
    auto allocate = [&] { weights = weightsCpu.to(m.device); };
    allocate();

    int batch = std::max(1, m.options.tileBatch);
    std::size_t next = 0;
    while (next < tiles.size()) {
        throwIfStopped(stop);
        const std::size_t count = std::min<std::size_t>(static_cast<std::size_t>(batch), tiles.size() - next);
        try {
            std::vector<torch::Tensor> patches;
            for (std::size_t t = next; t < next + count; ++t) {
                const Tile& tl = tiles[t];
                patches.push_back(input.slice(0, tl.z, tl.z + pz).slice(1, tl.y, tl.y + py).slice(2, tl.x, tl.x + px));
            }
            torch::Tensor in = torch::stack(patches).unsqueeze(1).to(m.device, m.half ? torch::kHalf : torch::kFloat);
            const std::string tileText = "tile " + std::to_string(next + 1) + " of " + std::to_string(tiles.size());
            const double done = static_cast<double>(next) / static_cast<double>(tiles.size());
            // Within the pass (a whole knee is one tile of ~15 s on two cores) the progress moves with its steps.
            double within = 0.0;
            auto heartbeat = [&](double seconds) {
                reportProgress(progress, done + within * static_cast<double>(count) / static_cast<double>(tiles.size()),
                               tileText + ": " + std::to_string(static_cast<int>(seconds)) + " s");
            };
            InterruptibleForward forward(m.module, {m.device.is_cpu() ? kCpuStepCost : 0.0});
            torch::Tensor out;
            if (forward.piecewise()) {
                if (m.device.is_cpu() && m.stepsPerPass.first != in.sizes().vec()) {
                    m.stepsPerPass = {in.sizes().vec(), forward.estimateSteps(in.sizes().vec())};
                }
                const double expected = m.device.is_cpu() ? static_cast<double>(m.stepsPerPass.second) : 0.0;
                const auto start = std::chrono::steady_clock::now();
                auto nextBeat = start + std::chrono::seconds(1);
                std::size_t steps = 0;
                out = forward.run(in, [&] {
                    throwIfStopped(stop);
                    ++steps;
                    const auto now = std::chrono::steady_clock::now();
                    if (now >= nextBeat) {
                        nextBeat += std::chrono::seconds(1);
                        within = expected > 0 ? std::min(0.99, static_cast<double>(steps) / expected) : 0.0;
                        heartbeat(std::chrono::duration<double>(now - start).count());
                    }
                });
            } else {
                out = forwardCancellable(m.module, in, stop, heartbeat);
            }
            out = probabilities(std::move(out));
            if (tiles.size() == 1) {
                acc = out[0].mul_(weights); // the tile covers the padded volume: Zp, Yp, Xp = pz, py, px
            } else {
                if (!acc.defined()) {
                    acc = torch::zeros({C, Zp, Yp, Xp}, torch::TensorOptions().dtype(torch::kFloat).device(m.device));
                }
                for (std::size_t t = 0; t < count; ++t) {
                    const Tile& tl = tiles[next + t];
                    acc.slice(1, tl.z, tl.z + pz).slice(2, tl.y, tl.y + py).slice(3, tl.x, tl.x + px)
                        .add_(out[static_cast<std::int64_t>(t)] * weights);
                }
            }
            out = torch::Tensor();
        } catch (const c10::Error& e) {
            const std::string what = e.what_without_backtrace();
            if (!m.device.is_cuda() || what.find("out of memory") == std::string::npos) {
                throw Error("Inference failed: " + what.substr(0, 300));
            }
            if (batch > 1) {
                batch = std::max(1, batch / 2);
                m.messages.push_back("GPU out of memory: retrying with " + std::to_string(batch) + " tile(s) per batch.");
            } else {
                acc = torch::Tensor();
                m.moveToCpu("GPU out of memory even with one tile");
                allocate();
                next = 0; // restart on the CPU so the result does not mix devices
            }
            continue;
        }
        next += count;
        reportProgress(progress, static_cast<double>(next) / static_cast<double>(tiles.size()),
                       "tile " + std::to_string(next) + " of " + std::to_string(tiles.size()));
    }
    throwIfStopped(stop);
    // acc holds, per voxel, the Gaussian-weighted sum of the tiles' softmax vectors: its channel sum is the sum of
    // the weights, so max / sum is the blended probability of the winning class.
    torch::Tensor inside = acc.slice(1, 0, Z).slice(2, 0, Y).slice(3, 0, X);
    auto [best, argmax] = inside.max(0);
    torch::Tensor confidence = (best / inside.sum(0).clamp_min(1e-12f)).flatten();
    argmax = argmax.flatten();
    torch::Tensor counts = torch::bincount(argmax, {}, C).to(torch::kCPU, torch::kDouble);
    torch::Tensor sums = torch::bincount(argmax, confidence.to(torch::kDouble), C).to(torch::kCPU, torch::kDouble);
    m.lastConfidence.assign(static_cast<std::size_t>(C), {});
    for (std::int64_t c = 0; c < C; ++c) {
        m.lastConfidence[static_cast<std::size_t>(c)].voxels = static_cast<std::uint64_t>(counts[c].item<double>());
        m.lastConfidence[static_cast<std::size_t>(c)].sumMaxProbability = sums[c].item<double>();
    }
    confidence = torch::Tensor();
    torch::Tensor labels = argmax.view({Z, Y, X}).to(torch::kCPU, torch::kUInt8).contiguous();
    std::vector<std::uint8_t> out(static_cast<std::size_t>(X * Y * Z));
    std::memcpy(out.data(), labels.data_ptr<std::uint8_t>(), out.size());
    return out;
}

} // namespace strata::inference

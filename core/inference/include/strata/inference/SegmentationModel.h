#pragma once

#include "strata/Image.h"
#include "strata/Progress.h"
#include "strata/inference/InferenceOptions.h"
#include "strata/inference/ModelCard.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <chrono>
#include <stop_token>
#include <string>
#include <vector>

namespace strata::inference {

/// A 3D segmentation network (TorchScript) run by sliding windows with Gaussian blending.
/// No torch type appears here: Qt code may include this header.
///
/// @code
///   inference::InferenceOptions options; // device "auto": CUDA when present, else the CPU
///   const auto model = inference::SegmentationModel::load(findModelDir("knee"), options);
///   const inference::ModelCard& card = model->card();
///   // The volume as the card describes it (the knee's prepare stage: canonical frame, card.targetSpacing,
///   // clipped z-score), Float32:
///   const Image input = clipAndZScore(resampleToSpacing(scan, card.targetSpacing, Interpolation::Linear),
///                                     card.normalisation.clipLowPercentile, card.normalisation.clipHighPercentile);
///   const std::vector<std::uint8_t> ids = model->segment(input.pixels<float>(), input.size(), stop, progress);
///   // one id per voxel of `input`, named by card.labels; model->messages() says what a user should know
/// @endcode
class SegmentationModel {
public:
    /// Loads model.json + the TorchScript file, verifies the checksum, picks the device.
    /// Throws IoError (missing/corrupt/mismatching files) or Error (CUDA requested but absent).
    [[nodiscard]] static std::unique_ptr<SegmentationModel> load(const std::filesystem::path& modelDir,
                                                                 const InferenceOptions& options);
    ~SegmentationModel();
    SegmentationModel(const SegmentationModel&) = delete;
    SegmentationModel& operator=(const SegmentationModel&) = delete;

    [[nodiscard]] const ModelCard& card() const;
    /// The folder and options it was loaded with, and how many messages the load itself left (a run that adds
    /// more changed the model: CUDA fallback, smaller tiles).
    [[nodiscard]] const std::filesystem::path& directory() const;
    [[nodiscard]] const InferenceOptions& options() const;
    [[nodiscard]] std::size_t messagesAtLoad() const;
    /// "cpu (2 threads)" or "cuda:0 NVIDIA H100 (fp16)".
    [[nodiscard]] std::string deviceDescription() const;
    /// What happened that a user should know (CUDA fallback, smaller tiles after out-of-memory).
    [[nodiscard]] const std::vector<std::string>& messages() const;
    /// How the last segment() call tiled its volume, e.g. "8 tiles of 136 x 136 x 88".
    [[nodiscard]] const std::string& lastTiling() const;

    /// Network confidence of the last segment() call, per output label (index = label id): how many voxels the
    /// argmax gave that label and the sum of their max-softmax probability (the blended probability of the
    /// winning class, 1/C .. 1). Accumulated while argmaxing: no extra per-class memory.
    struct LabelConfidence {
        std::uint64_t voxels{0};
        double sumMaxProbability{0.0};
        [[nodiscard]] double mean() const { return voxels ? sumMaxProbability / static_cast<double>(voxels) : 0.0; }
    };
    [[nodiscard]] const std::vector<LabelConfidence>& lastConfidence() const;

    /// Largest sliding-window tile when InferenceOptions::maxTileVoxels is 0 (a 256 x 256 x 160 knee is one tile).
    static constexpr long long kDefaultMaxTileVoxels = 16'000'000LL;

    /// volume: normalised intensities, x fastest, size x*y*z. Returns label ids (argmax), same layout.
    /// Like nnU-Net, the network sees only the box that holds signal: voxels at the volume's minimum around it -
    /// the fill outside an oblique scan's field of view after resampling, zero-filled scanner background - are
    /// background and are not passed. The network was trained on boxes whose tissue reaches the border: a phantom in
    /// a larger canvas of such voxels lost 0.17 of its mean Dice (femur read into the tibia), 0.04 with a margin of
    /// 4 background voxels kept, nothing with none (tests/slow/KneeOrientationSlowTest.cpp). A box of over 95 % of
    /// the volume is not cropped.
    /// Deterministic on CPU. Throws Cancelled at the next step of the forward pass after a stop request, also in
    /// the middle of a tile: the pass runs one operation at a time (the big CPU convolutions in slabs of about
    /// 0.3 s on two cores), so nothing keeps running. A network whose forward cannot be walked that way is
    /// abandoned in flight instead and finishes on its own thread (see waitForAbandonedPasses).
    [[nodiscard]] std::vector<std::uint8_t> segment(std::span<const float> volume, Size3 size, std::stop_token stop,
                                                    const ProgressFn& progress);

    /// Waits until no abandoned forward pass is still running (at most timeout); true when none is.
    /// Call before process exit after a cancel, so no worker runs into static destruction.
    static bool waitForAbandonedPasses(std::chrono::milliseconds timeout);

private:
    /// segment() on the whole of `volume` (no crop).
    std::vector<std::uint8_t> segmentWhole(std::span<const float> volume, Size3 size, std::stop_token stop,
                                           const ProgressFn& progress);
    struct Impl;
    explicit SegmentationModel(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

} // namespace strata::inference

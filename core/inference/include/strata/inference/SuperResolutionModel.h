#pragma once

#include "strata/inference/InferenceOptions.h"
#include "strata/inference/ModelCard.h"

#include <filesystem>
#include <memory>
#include <span>
#include <stop_token>
#include <string>
#include <vector>

namespace strata::inference {

/// A 2D super-resolution network (TorchScript: N x 3 x H x W RGB in [0, 1] -> N x 3 x sH x sW, s = the card's
/// "scale"). No torch type appears here: Qt code may include this header. One thread at a time.
class SuperResolutionModel {
public:
    /// Loads model.json + the TorchScript file, verifies the checksum and the task ("super-resolution"),
    /// picks the device. Throws IoError (missing/corrupt/mismatching files) or Error (CUDA requested but absent).
    [[nodiscard]] static std::unique_ptr<SuperResolutionModel> load(const std::filesystem::path& modelDir,
                                                                    const InferenceOptions& options);
    ~SuperResolutionModel();
    SuperResolutionModel(const SuperResolutionModel&) = delete;
    SuperResolutionModel& operator=(const SuperResolutionModel&) = delete;

    [[nodiscard]] const ModelCard& card() const;
    [[nodiscard]] int scale() const;
    /// Input pixels of context an output pixel depends on (card "receptive_field_radius"; 16 when absent).
    [[nodiscard]] int receptiveRadius() const;
    [[nodiscard]] std::string deviceDescription() const;
    [[nodiscard]] const std::vector<std::string>& messages() const;

    /// count images of width x height, planar RGB in [0, 1] (count x 3 x height x width floats) -> count x 3 x
    /// (scale height) x (scale width), clamped to [0, 1]. Deterministic on the CPU. Throws Cancelled soon after a
    /// stop request (the pass in flight is abandoned); falls back to the CPU on a CUDA out-of-memory error.
    [[nodiscard]] std::vector<float> upscale(std::span<const float> planar, int count, int width, int height,
                                             std::stop_token stop);

private:
    struct Impl;
    explicit SuperResolutionModel(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

} // namespace strata::inference

#pragma once

#include "strata/inference/InferenceOptions.h"
#include "strata/inference/ModelCard.h"

#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace strata::inference {

/// A 2D image classifier (TorchScript, N x C x H x W in, N x classes logits out). No torch type appears
/// here: Qt code may include this header. predict() may be called from one thread at a time.
class ClassificationModel {
public:
    /// Loads model.json + the TorchScript file, verifies the checksum and the task, picks the device.
    [[nodiscard]] static std::unique_ptr<ClassificationModel> load(const std::filesystem::path& modelDir,
                                                                   const InferenceOptions& options);
    ~ClassificationModel();
    ClassificationModel(const ClassificationModel&) = delete;
    ClassificationModel& operator=(const ClassificationModel&) = delete;

    [[nodiscard]] const ModelCard& card() const;
    [[nodiscard]] int inputWidth() const;
    [[nodiscard]] int inputHeight() const;
    [[nodiscard]] int classCount() const;
    /// Floats in one input image (channels x height x width).
    [[nodiscard]] std::size_t inputSize() const;
    [[nodiscard]] std::string deviceDescription() const;
    [[nodiscard]] const std::vector<std::string>& messages() const;

    /// inputs: count images, each inputSize() floats as the card describes. Returns count x classCount()
    /// probabilities (softmax), row by row. Deterministic on the CPU.
    [[nodiscard]] std::vector<float> predict(std::span<const float> inputs, std::size_t count);

private:
    struct Impl;
    explicit ClassificationModel(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

} // namespace strata::inference

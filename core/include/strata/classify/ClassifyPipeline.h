#pragma once

#include "strata/pipeline/Pipeline.h"

namespace strata::classify {

/// Image classification: image(s) (a file, a multi-page TIFF or a folder) → the model card's preprocessing →
/// a TorchScript classifier in batches (CPU or CUDA) → top-k labels with probabilities.
/// Bundle: predictions.json, predictions.csv, provenance.json.
class ClassifyPipeline : public pipeline::Pipeline {
public:
    ClassifyPipeline();
    [[nodiscard]] const pipeline::PipelineManifest& manifest() const override { return manifest_; }
    [[nodiscard]] std::vector<std::unique_ptr<pipeline::Stage>> createStages() const override;

private:
    pipeline::PipelineManifest manifest_;
};

} // namespace strata::classify

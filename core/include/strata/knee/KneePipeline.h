#pragma once

#include "strata/pipeline/Pipeline.h"

#include <memory>

namespace strata::knee {

/// Knee MRI: load → resample/normalise → 3D U-Net → cleanup → cartilage thickness → meshes → metrics.
/// Bundle: segmentation.nii.gz (+ .labels.json), thickness.nii.gz, meshes/*.stl|ply|vtp, metrics.csv,
/// metrics.json, provenance.json.
class KneePipeline : public pipeline::Pipeline {
public:
    KneePipeline();
    [[nodiscard]] const pipeline::PipelineManifest& manifest() const override { return manifest_; }
    [[nodiscard]] std::vector<std::unique_ptr<pipeline::Stage>> createStages() const override;

private:
    pipeline::PipelineManifest manifest_;
};

} // namespace strata::knee

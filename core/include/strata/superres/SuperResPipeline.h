#pragma once

#include "strata/pipeline/Pipeline.h"

namespace strata::superres {

/// Super-resolution: an image or a video → an ESRGAN-family TorchScript network (x2 / x4, models/sr/) run in
/// overlapping tiles blended without seams (CPU or CUDA) → upscaled.png, or upscaled.avi (OpenCV decode, frames
/// upscaled in batches, MJPEG encode; no audio) with per-frame progress and cancel.
/// Bundle: upscaled.png or upscaled.avi, bicubic.png / preview/*.png for the before/after view, superres.json,
/// provenance.json.
class SuperResPipeline : public pipeline::Pipeline {
public:
    SuperResPipeline();
    [[nodiscard]] const pipeline::PipelineManifest& manifest() const override { return manifest_; }
    [[nodiscard]] std::vector<std::unique_ptr<pipeline::Stage>> createStages() const override;

private:
    pipeline::PipelineManifest manifest_;
};

} // namespace strata::superres

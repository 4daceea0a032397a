#pragma once

#include "strata/pipeline/Pipeline.h"

namespace strata::remote {

/// "selftest": a cheap, deterministic pipeline for tests, load benchmarks and smoke checks of a deployment.
/// Hashes its input file in `steps` steps of `step_ms` each (progress + cancel per step) and writes
/// result.json {sha256, size, steps}. Registered by strata-server only with --selftest-pipeline.
class SelftestPipeline : public pipeline::Pipeline {
public:
    SelftestPipeline();
    [[nodiscard]] const pipeline::PipelineManifest& manifest() const override { return manifest_; }
    [[nodiscard]] std::vector<std::unique_ptr<pipeline::Stage>> createStages() const override;

private:
    pipeline::PipelineManifest manifest_;
};

} // namespace strata::remote

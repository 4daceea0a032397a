#pragma once

#include "strata/pipeline/Executor.h"
#include "strata/pipeline/PipelineRegistry.h"

namespace strata::pipeline {

/// Runs a pipeline in this process. The bundle is built in a staging folder next to the output
/// folder and moved into place only on success; a failed or cancelled run leaves nothing behind.
/// Writes provenance.json: inputs with sha256, pipeline and parameters, software version, device
/// notes from the stages, per-stage timings, peak memory.
class LocalExecutor : public Executor {
public:
    explicit LocalExecutor(const PipelineRegistry& registry) : registry_(registry) {}

    [[nodiscard]] std::vector<PipelineManifest> pipelines() const override { return registry_.manifests(); }
    [[nodiscard]] RunResult run(const RunRequest& request, ProgressSink& sink, std::stop_token stop) override;

private:
    const PipelineRegistry& registry_;
};

} // namespace strata::pipeline

#pragma once

#include "strata/core/pipeline/PipelineManifest.h"
#include "strata/core/pipeline/ProgressSink.h"
#include "strata/core/pipeline/RunTypes.h"

#include <stop_token>
#include <vector>

namespace strata::pipeline {

/// Runs pipelines somewhere: in this process (LocalExecutor) or on a server (RemoteExecutor).
/// Both return the same bundle for the same request.
class Executor {
public:
    virtual ~Executor() = default;
    virtual std::vector<PipelineManifest> pipelines() const = 0;
    /// Blocks until the run ends. Never throws for a failed or cancelled run: that is in the result.
    virtual RunResult run(const RunRequest& request, ProgressSink& sink, std::stop_token stop) = 0;
};

} // namespace strata::pipeline

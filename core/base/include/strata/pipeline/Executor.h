#pragma once

#include "strata/pipeline/PipelineManifest.h"
#include "strata/pipeline/ProgressSink.h"
#include "strata/pipeline/RunTypes.h"

#include <stop_token>
#include <vector>

namespace strata::pipeline {

/// A run announced before it is asked for (Executor::announce): a member of a group such as a cohort's case.
struct PlannedRun {
    std::string subject;   ///< folder-safe names of the run within its group
    std::string timepoint;
    RunRequest request;
};

/// Runs pipelines somewhere: in this process (LocalExecutor) or on a server (RemoteExecutor).
/// Both return the same bundle for the same request.
///
/// @code
///   pipeline::LocalExecutor executor(standardPipelines()); // or remote::RemoteExecutor for a server
///   pipeline::RunRequest request;
///   request.pipeline = "knee-mri";
///   request.inputs["image"] = "knee.nii.gz"; // input port name -> file or DICOM folder
///   request.outputDir = "knee-result";       // must not exist yet (or be empty)
///   std::stop_source stopSource;              // request_stop() from another thread cancels
///   const pipeline::RunResult result = executor.run(request, sink, stopSource.get_token());
///   if (result.status != pipeline::RunStatus::Succeeded) report(result.message);
///   else show(results::ResultBundle::load(result.bundleDir));
/// @endcode
class Executor {
public:
    virtual ~Executor() = default;
    [[nodiscard]] virtual std::vector<PipelineManifest> pipelines() const = 0;
    /// Blocks until the run ends. Never throws for a failed or cancelled run: that is in the result.
    [[nodiscard]] virtual RunResult run(const RunRequest& request, ProgressSink& sink, std::stop_token stop) = 0;
    /// The runs that will be asked for next, each later with run() and the same request: an executor that can
    /// start them early does (a server runs them side by side as one job group). Never throws: an executor that
    /// cannot just runs each when asked. Default: nothing.
    virtual void announce(const std::vector<PlannedRun>& runs, ProgressSink& sink, std::stop_token stop)
    {
        (void)runs;
        (void)sink;
        (void)stop;
    }
};

} // namespace strata::pipeline

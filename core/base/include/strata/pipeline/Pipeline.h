#pragma once

#include "strata/pipeline/PipelineManifest.h"
#include "strata/pipeline/StageContext.h"

#include <memory>
#include <vector>

namespace strata::pipeline {

/// One step of a pipeline. Stages check ctx.progress() (which throws Cancelled) often enough to
/// stop within about a second.
class Stage {
public:
    virtual ~Stage() = default;
    virtual void run(StageContext& ctx) = 0;
};

/// A named list of stages described by a manifest. Registered once (PipelineRegistry; Strata's own in
/// StandardPipelines.cpp), it runs with any Executor, which makes fresh stages for each run:
///
/// @code
///   class SumPipeline : public pipeline::Pipeline {
///   public:
///       SumPipeline() : manifest_(pipeline::PipelineManifest::fromJson(parseJson(kSumManifest))) {}
///       const pipeline::PipelineManifest& manifest() const override { return manifest_; }
///       std::vector<std::unique_ptr<pipeline::Stage>> createStages() const override
///       {
///           std::vector<std::unique_ptr<pipeline::Stage>> stages; // one per manifest stage, in order
///           stages.push_back(std::make_unique<CountStage>());     // puts kSum into the workspace
///           stages.push_back(std::make_unique<WriteStage>());     // writes it to ctx.outputDir()
///           return stages;
///       }
///
///   private:
///       pipeline::PipelineManifest manifest_;
///   };
///
///   pipeline::PipelineRegistry registry;
///   registry.add(std::make_shared<SumPipeline>());
///   pipeline::LocalExecutor executor(registry);
/// @endcode
class Pipeline {
public:
    virtual ~Pipeline() = default;
    [[nodiscard]] virtual const PipelineManifest& manifest() const = 0;
    /// Fresh stage objects for one run, in manifest order (same count as manifest().stages).
    [[nodiscard]] virtual std::vector<std::unique_ptr<Stage>> createStages() const = 0;
};

} // namespace strata::pipeline

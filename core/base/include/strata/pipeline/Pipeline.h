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

/// A named list of stages described by a manifest.
class Pipeline {
public:
    virtual ~Pipeline() = default;
    virtual const PipelineManifest& manifest() const = 0;
    /// Fresh stage objects for one run, in manifest order (same count as manifest().stages).
    virtual std::vector<std::unique_ptr<Stage>> createStages() const = 0;
};

} // namespace strata::pipeline

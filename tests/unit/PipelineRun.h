#pragma once

#include "strata/StandardPipelines.h"
#include "strata/pipeline/LocalExecutor.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <stop_token>
#include <string>

namespace strata::test {

/// Runs one of the standard pipelines in-process on one input (CPU unless `device` says otherwise).
inline pipeline::RunResult runPipeline(const std::string& pipelineId, const std::string& inputPort,
                                       const std::filesystem::path& input, const std::filesystem::path& out,
                                       nlohmann::json params = nlohmann::json::object(),
                                       pipeline::ProgressSink* sink = nullptr, std::stop_token stop = {},
                                       const std::string& device = "cpu")
{
    pipeline::RunRequest r;
    r.pipeline = pipelineId;
    r.inputs[inputPort] = input;
    r.outputDir = out;
    r.device = device;
    r.parameters = std::move(params);
    pipeline::NullProgressSink null;
    pipeline::LocalExecutor exec(standardPipelines());
    return exec.run(r, sink ? *sink : null, stop);
}

/// The knee pipeline measuring a given segmentation (no network, no meshes): `image` a file or DICOM folder,
/// `labels` a label file on its grid, the bundle to `out`.
inline pipeline::RunRequest kneeOnGivenLabels(const std::filesystem::path& image, const std::filesystem::path& labels,
                                              const std::filesystem::path& out)
{
    pipeline::RunRequest r;
    r.pipeline = "knee-mri";
    r.inputs["image"] = image;
    r.inputs["labels"] = labels;
    r.outputDir = out;
    r.device = "cpu";
    r.parameters = {{"meshes", false}};
    return r;
}

/// Runs a request in-process with the standard pipelines.
inline pipeline::RunResult runRequest(const pipeline::RunRequest& request, std::stop_token stop = {})
{
    pipeline::NullProgressSink null;
    return pipeline::LocalExecutor(standardPipelines()).run(request, null, stop);
}

} // namespace strata::test

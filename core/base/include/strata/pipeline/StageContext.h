#pragma once

#include "strata/Progress.h"
#include "strata/pipeline/RunTypes.h"
#include "strata/pipeline/Workspace.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <functional>
#include <stop_token>
#include <string>

namespace strata::pipeline {

/// Everything a stage sees while it runs.
class StageContext {
public:
    StageContext(const RunRequest& request, const nlohmann::json& parameters, Workspace& workspace,
                 const std::filesystem::path& outputDir, std::stop_token stop, ProgressFn progress,
                 nlohmann::json& notes);

    [[nodiscard]] const RunRequest& request() const { return request_; }
    [[nodiscard]] const nlohmann::json& parameters() const { return parameters_; }
    template <typename T> [[nodiscard]] T parameter(const std::string& name) const
    {
        return parameters_.at(name).get<T>();
    }
    [[nodiscard]] Workspace& workspace() { return workspace_; }
    /// The bundle being written (a staging folder, moved into place only when the whole run succeeds).
    [[nodiscard]] const std::filesystem::path& outputDir() const { return outputDir_; }
    [[nodiscard]] std::stop_token stopToken() const { return stop_; }

    /// Reports progress within the stage (0..1) and throws Cancelled if a stop was requested.
    void progress(double fraction, const std::string& message);
    /// A ProgressFn for library calls, mapping their 0..1 onto [from, to] of this stage.
    [[nodiscard]] ProgressFn progressRange(double from, double to);
    /// Records a fact for provenance.json (e.g. "device", "model").
    void note(const std::string& key, nlohmann::json value);

private:
    const RunRequest& request_;
    const nlohmann::json& parameters_;
    Workspace& workspace_;
    std::filesystem::path outputDir_;
    std::stop_token stop_;
    ProgressFn progress_;
    nlohmann::json& notes_;
};

} // namespace strata::pipeline

#pragma once

#include "strata/pipeline/Pipeline.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace strata::pipeline {

/// The pipelines a process can run, by id.
class PipelineRegistry {
public:
    void add(std::shared_ptr<const Pipeline> pipeline);
    /// Throws InvalidArgument naming the unknown id and the known ones.
    [[nodiscard]] const Pipeline& get(const std::string& id) const;
    [[nodiscard]] std::vector<PipelineManifest> manifests() const;

private:
    std::map<std::string, std::shared_ptr<const Pipeline>> pipelines_;
};

} // namespace strata::pipeline

#include "strata/pipeline/PipelineRegistry.h"

#include "strata/Error.h"

namespace strata::pipeline {

void PipelineRegistry::add(std::shared_ptr<const Pipeline> pipeline)
{
    const std::string id = pipeline->manifest().id;
    pipelines_[id] = std::move(pipeline);
}

const Pipeline& PipelineRegistry::get(const std::string& id) const
{
    auto it = pipelines_.find(id);
    if (it == pipelines_.end()) {
        std::string known;
        for (const auto& [name, p] : pipelines_) {
            known += (known.empty() ? "" : ", ") + name;
        }
        throw InvalidArgument("Unknown pipeline '" + id + "' (available: " + (known.empty() ? "none" : known) + ").");
    }
    return *it->second;
}

std::vector<PipelineManifest> PipelineRegistry::manifests() const
{
    std::vector<PipelineManifest> out;
    for (const auto& [id, p] : pipelines_) {
        out.push_back(p->manifest());
    }
    return out;
}

} // namespace strata::pipeline

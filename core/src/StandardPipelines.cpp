#include "strata/core/StandardPipelines.h"

#include "strata/core/knee/KneePipeline.h"

namespace strata {

const pipeline::PipelineRegistry& standardPipelines()
{
    static const pipeline::PipelineRegistry registry = [] {
        pipeline::PipelineRegistry r;
        r.add(std::make_shared<knee::KneePipeline>());
        return r;
    }();
    return registry;
}

} // namespace strata

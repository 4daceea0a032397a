#include "strata/StandardPipelines.h"

#include "strata/classify/ClassifyPipeline.h"
#include "strata/knee/KneePipeline.h"
#include "strata/ocr/OcrPipeline.h"
#include "strata/superres/SuperResPipeline.h"

namespace strata {

const pipeline::PipelineRegistry& standardPipelines()
{
    static const pipeline::PipelineRegistry registry = [] {
        pipeline::PipelineRegistry r;
        r.add(std::make_shared<knee::KneePipeline>());
        r.add(std::make_shared<ocr::OcrPipeline>());
        r.add(std::make_shared<classify::ClassifyPipeline>());
        r.add(std::make_shared<superres::SuperResPipeline>());
        return r;
    }();
    return registry;
}

} // namespace strata

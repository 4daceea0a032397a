#include "classify/ClassifyStages.h"

#include "strata/ImageSource.h"

namespace strata::classify {

void CollectStage::run(pipeline::StageContext& ctx)
{
    const auto& input = ctx.request().inputs.at("images");
    ctx.progress(0.1, "Listing images in " + input.filename().string());
    auto refs = ImageSource::list(input);
    ctx.note("image_count", refs.size());
    ctx.workspace().put(kImageRefs, std::move(refs));
}

} // namespace strata::classify

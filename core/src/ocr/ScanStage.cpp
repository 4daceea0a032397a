#include "ocr/OcrStages.h"

#include "strata/ImageSource.h"

namespace strata::ocr {

void ScanStage::run(pipeline::StageContext& ctx)
{
    const auto& input = ctx.request().inputs.at("images");
    ctx.progress(0.1, "Listing pages in " + input.filename().string());
    auto pages = ImageSource::list(input);
    ctx.note("page_count", pages.size());
    ctx.workspace().put(kImageRefs, std::move(pages));
}

} // namespace strata::ocr

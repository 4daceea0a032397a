#include "ocr/OcrStages.h"
#include "ocr/OverlayPicture.h"

#include "strata/ocr/OcrBatch.h"
#include "strata/ocr/OcrEngine.h"

#include <filesystem>
#include <thread>

namespace strata::ocr {

namespace {

OcrOptions optionsFrom(const pipeline::StageContext& ctx)
{
    OcrOptions o;
    o.language = ctx.parameter<std::string>("language");
    o.pageSegMode = ctx.parameter<int>("psm");
    o.deskew = ctx.parameter<bool>("deskew");
    o.binarise = ctx.parameter<std::string>("binarise");
    o.dpi = ctx.parameter<int>("dpi");
    o.maxPixels = static_cast<std::uint64_t>(ctx.parameter<double>("max_megapixels") * 1e6);
    o.pageTimeoutMs = static_cast<int>(ctx.parameter<double>("page_timeout_s") * 1000.0);
    return o;
}

} // namespace

void RecogniseStage::run(pipeline::StageContext& ctx)
{
    const auto& refs = ctx.workspace().get(kImageRefs);
    const OcrOptions options = optionsFrom(ctx);
    int workers = ctx.parameter<int>("workers");
    if (workers == 0) {
        workers = ctx.request().threads;
    }
    OcrBatch batch(options, workers, ctx.parameter<std::string>("on_error") == "fail");
    if (ctx.parameter<bool>("overlays")) {
        // Drawn by the worker that read the page, while its pixels are in memory (no second decode, all cores).
        const auto dir = ctx.outputDir() / "overlays";
        std::filesystem::create_directories(dir);
        batch.setPageImageHook([dir](const Image& image, const OcrPage& page) {
            writeOverlayPicture(image, page, dir / (pageFileStem(page.index) + ".png"));
        });
    }
    ctx.note("device", "cpu (" + std::to_string(std::min<std::size_t>(batch.workers(), refs.size())) + " OCR workers)");
    ctx.note("engine", OcrEngine::describe(options));
    ctx.progress(0.0, "Recognising " + std::to_string(refs.size()) + " page(s) on " + std::to_string(batch.workers()) +
                          " worker(s)");
    int failed = 0;
    auto pages = batch.run(
        refs,
        [&](const OcrPage& page, int done, int total) {
            failed += page.error.empty() ? 0 : 1;
            const std::string what = page.error.empty() ? std::to_string(page.wordCount()) + " words" : "failed";
            ctx.progress(static_cast<double>(done) / total,
                         "Page " + std::to_string(done) + "/" + std::to_string(total) + ": " + page.source + " (" + what + ")");
        },
        ctx.stopToken());
    if (failed > 0) {
        ctx.note("failed_pages", failed);
    }
    ctx.workspace().put(kPages, std::move(pages));
}

} // namespace strata::ocr

#include "superres/SuperResStages.h"

#include "strata/superres/DetailBlend.h"
#include "strata/superres/RgbImageOps.h"
#include "strata/superres/TiledUpscaler.h"


namespace strata::superres {

TileOptions tileOptions(const pipeline::StageContext& ctx)
{
    TileOptions o;
    o.tile = ctx.parameter<int>("tile");
    o.overlap = ctx.parameter<int>("overlap");
    o.batch = ctx.parameter<int>("batch");
    return o;
}

void upscaleImage(pipeline::StageContext& ctx, SuperResJob& job)
{
    const TiledUpscaler upscaler(*job.model, tileOptions(ctx), ctx.stopToken());
    ctx.progress(0.0, "Upscaling " + std::to_string(job.width) + " x " + std::to_string(job.height));
    RgbPlanes network = upscaler.upscale(job.image, ctx.stopToken(), ctx.progressRange(0.0, 0.9));
    const RgbPlanes bicubic = resizeBicubic(job.image, network.width, network.height);
    const RgbPlanes out = blendDetail(std::move(network), bicubic, ctx.parameter<double>("detail_blend"));
    ctx.progress(0.9, "Writing upscaled.png");
    writeRgbPng(out, ctx.outputDir() / "upscaled.png");
    job.summary["output"] = "upscaled.png";
    if (ctx.parameter<bool>("comparison")) {
        writeRgbPng(bicubic, ctx.outputDir() / "bicubic.png");
        job.summary["comparison"] = {{"before", "bicubic.png"}, {"after", "upscaled.png"}};
    }
    job.summary["output_width"] = out.width;
    job.summary["output_height"] = out.height;
    job.summary["tiles"] = upscaler.starts(job.width).size() * upscaler.starts(job.height).size();
    job.summary["overlap"] = upscaler.effectiveOverlap();
}

} // namespace strata::superres

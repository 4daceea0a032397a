#include "superres/SuperResStages.h"

#include "io/TextFiles.h"

namespace strata::superres {

void SuperResWriteStage::run(pipeline::StageContext& ctx)
{
    auto& job = *ctx.workspace().get(kJob);
    auto& s = job.summary;
    s["input"] = job.input.filename().string();
    s["kind"] = job.video ? "video" : "image";
    s["input_width"] = job.width;
    s["input_height"] = job.height;
    s["scale"] = job.model->scale();
    s["model"] = job.model->card().name;
    s["tile"] = ctx.parameter<int>("tile");
    ctx.progress(0.5, "Writing superres.json");
    io::writeTextFile(ctx.outputDir() / "superres.json", s.dump(1) + "\n");
}

} // namespace strata::superres

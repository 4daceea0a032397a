#include "knee/KneeStages.h"
#include "strata/quant/KneeMeshes.h"

namespace strata::knee {

void MeshStage::run(pipeline::StageContext& ctx)
{
    if (!ctx.parameter<bool>("meshes")) {
        return;
    }
    if (ctx.workspace().contains(kQuality) &&
        ctx.workspace().get(kQuality).value("verdict", std::string()) == "not_a_knee") {
        return; // no meshes of what is not a knee
    }
    quant::KneeMeshOptions options;
    options.smoothingIterations = ctx.parameter<int>("mesh_smoothing");
    options.reduction = ctx.parameter<double>("mesh_reduction");
    quant::writeKneeMeshes(ctx.workspace().get(kSegmentation), ctx.workspace().get(kThickness),
                           ctx.outputDir() / "meshes", options, ctx.stopToken(), ctx.progressRange(0.0, 1.0));
}

} // namespace strata::knee

#include "knee/KneeStages.h"
#include "strata/core/quant/KneeThickness.h"
#include "strata/core/quant/Volumes.h"

namespace strata::knee {

void ThicknessStage::run(pipeline::StageContext& ctx)
{
    const LabelMap& labels = ctx.workspace().get<LabelMap>(kSegmentation);
    quant::KneeThicknessOptions options;
    const auto& acquisition = ctx.workspace().get<nlohmann::json>(kAcquisition);
    options.rightKnee = acquisition.value("side", std::string("right")) != "left";
    options.localThickness.maxSubvoxelMm = ctx.parameter<double>("thickness_subvoxel_mm");
    auto thickness = quant::measureKneeThickness(labels, options, ctx.stopToken(), ctx.progressRange(0.0, 0.95));
    nlohmann::json metrics;
    metrics["volumes_mm3"] = quant::volumesJson(quant::labelVolumes(labels));
    metrics.update(thickness.toJson());
    metrics.update(acquisition); // side, side_source, orientation, slice_thickness_mm, notes
    ctx.workspace().put(kMetrics, std::move(metrics));
    ctx.workspace().put(kThickness, std::move(thickness.map));
}

} // namespace strata::knee

#include "knee/KneeStages.h"
#include "strata/quant/KneeThickness.h"
#include "strata/quant/Volumes.h"

namespace strata::knee {

void ThicknessStage::run(pipeline::StageContext& ctx)
{
    const LabelMap& labels = ctx.workspace().get(kSegmentation);
    const auto& acquisition = ctx.workspace().get(kAcquisition);
    const nlohmann::json quality =
        ctx.workspace().contains(kQuality) ? ctx.workspace().get(kQuality) : nlohmann::json();
    if (quality.value("verdict", std::string()) == "not_a_knee") {
        // No cartilage tables for a scan that is not a knee: an empty thickness map, no volumes, the verdict.
        Image empty(labels.image().size(), PixelType::Float32, 1);
        empty.copyGeometryFrom(labels.image());
        nlohmann::json metrics;
        metrics["withheld"] = "Volumes and thickness are withheld: quality control found no knee in this scan "
                              "(see quality.reasons).";
        metrics.update(acquisition);
        metrics["quality"] = quality;
        ctx.workspace().put(kMetrics, std::move(metrics));
        ctx.workspace().put(kThickness, std::move(empty));
        return;
    }
    quant::KneeThicknessOptions options;
    options.subregions.rightKnee = acquisition.value("side", std::string("right")) != "left";
    options.localThickness.maxSubvoxelMm = ctx.parameter<double>("thickness_subvoxel_mm");
    auto thickness = quant::measureKneeThickness(labels, options, ctx.stopToken(), ctx.progressRange(0.0, 0.95));
    nlohmann::json metrics;
    metrics["volumes_mm3"] = quant::volumesJson(quant::labelVolumes(labels));
    metrics.update(thickness.toJson());
    metrics.update(acquisition); // side, side_source, orientation, slice_thickness_mm, notes
    if (!quality.is_null()) metrics["quality"] = quality;
    ctx.workspace().put(kMetrics, std::move(metrics));
    ctx.workspace().put(kThickness, std::move(thickness.map));
}

} // namespace strata::knee

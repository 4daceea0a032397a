#include "knee/KneeStages.h"
#include "strata/core/CanonicalReorientation.h"
#include "strata/core/Error.h"
#include "strata/core/phantom/KneeLabels.h"
#include "strata/core/quant/Cleanup.h"
#include "strata/core/quant/FluidBoundaryRefine.h"

#include <cstdio>
#include <memory>

namespace strata::knee {

namespace {

/// A knee has a femur and a tibia of at least a few cm^3 in view; anything else is not what the model knows.
void requireKneeAnatomy(const LabelMap& labels)
{
    const auto volumes = labels.volumesMm3();
    auto volumeOf = [&](int id) {
        auto it = volumes.find(id);
        return it == volumes.end() ? 0.0 : it->second;
    };
    const double femur = volumeOf(phantom::Femur), tibia = volumeOf(phantom::Tibia);
    const double cartilage = volumeOf(phantom::FemoralCartilage) + volumeOf(phantom::MedialTibialCartilage) +
                             volumeOf(phantom::LateralTibialCartilage);
    if (femur < 5000.0 || tibia < 5000.0 || cartilage < 300.0) {
        char buf[256];
        std::snprintf(buf, sizeof buf, "femur %.0f mm3, tibia %.0f mm3, tibiofemoral cartilage %.0f mm3", femur, tibia,
                      cartilage);
        throw InvalidArgument(std::string("No knee found in this image (") + buf +
                              "): the knee pipeline needs a 3D knee MRI (sagittal DESS-like contrast).");
    }
}

} // namespace

void PostprocessStage::run(pipeline::StageContext& ctx)
{
    const Image& input = ctx.workspace().get<Image>(kImage);
    Image modelLabels = std::move(ctx.workspace().get<Image>(kModelLabels));
    ctx.workspace().erase(kModelLabels);
    const auto& reorientation = ctx.workspace().get<std::shared_ptr<const CanonicalReorientation>>(kReorientation);
    Image onInput = reorientation->back(modelLabels);
    modelLabels = Image();
    LabelMap labels(std::move(onInput), ctx.workspace().get<LabelTable>("model_card_labels"));
    if (ctx.parameter<bool>("cleanup")) {
        const auto report = quant::cleanupLabels(labels, {}, ctx.stopToken(), ctx.progressRange(0.05, 0.95));
        ctx.note("cleanup", {{"voxels_removed", report.voxelsRemoved}, {"voxels_filled", report.voxelsFilled}});
    }
    if (ctx.parameter<bool>("fluid_refine")) {
        ctx.progress(0.95, "Separating joint fluid from cartilage");
        const auto r = quant::refineFluidBoundary(labels, input, {}, ctx.stopToken());
        ctx.note("fluid_refine", {{"applied", r.applied},
                                  {"skipped_reason", r.skippedReason},
                                  {"cartilage_relative_sd", r.cartilageSigma},
                                  {"fluid_to_cartilage_ratio", r.fluidRatio},
                                  {"threshold", r.threshold},
                                  {"fluid_samples", r.fluidSamples},
                                  {"voxels_removed", r.voxelsRemoved},
                                  {"grown", r.grown},
                                  {"grow_ceiling", r.growCeiling},
                                  {"voxels_added", r.voxelsAdded}});
    }
    requireKneeAnatomy(labels);
    ctx.workspace().put(kSegmentation, std::move(labels));
}

} // namespace strata::knee

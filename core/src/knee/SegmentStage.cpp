#include "knee/KneeStages.h"
#include "knee/ModelDir.h"
#include "strata/inference/SegmentationModelCache.h"

#include <cstring>

namespace strata::knee {

void SegmentStage::run(pipeline::StageContext& ctx)
{
    if (ctx.workspace().contains(kGivenLabels)) {
        ctx.progress(1.0, "Skipped: the labels were given");
        ctx.note("segmentation", "given labels (input 'labels'); the network was not run");
        return;
    }
    inference::InferenceOptions options;
    options.device = ctx.request().device;
    options.threads = ctx.request().threads;
    options.maxTileVoxels = ctx.parameter<long long>("tile_voxels");
    options.minOverlapVoxels = ctx.parameter<int>("tile_overlap");
    options.tileBatch = ctx.parameter<int>("tile_batch");
    options.halfPrecision = ctx.parameter<bool>("half_precision");
    const auto dir = modelDirFromParameter(ctx.parameter<std::string>("model"));
    ctx.progress(0.0, "Loading model");
    auto model = inference::SegmentationModelCache::take(dir, options); // the previous run's, when the same
    ctx.note("device", model->deviceDescription());
    ctx.note("model", {{"name", model->card().name}, {"version", model->card().version}, {"sha256", model->card().sha256}});

    const Image& input = ctx.workspace().get(kModelInput);
    auto labels = model->segment(input.pixels<float>(), input.size(), ctx.stopToken(), ctx.progressRange(0.02, 1.0));
    ctx.note("tiling", model->lastTiling());
    if (!model->messages().empty()) {
        ctx.note("inference_messages", model->messages());
    }
    Image out(input.size(), PixelType::UInt8, 1);
    out.copyGeometryFrom(input);
    std::memcpy(out.data(), labels.data(), labels.size());
    ctx.workspace().put(kModelLabels, std::move(out));
    ctx.workspace().put(kModelLabelTable, model->card().labels);
    ctx.workspace().put(kConfidence, model->lastConfidence());
    ctx.workspace().erase(kModelInput);
    inference::SegmentationModelCache::giveBack(std::move(model));
}

} // namespace strata::knee

#include "knee/KneeStages.h"
#include "knee/ModelDir.h"
#include "strata/CanonicalReorientation.h"
#include "strata/inference/SegmentationModelCache.h"
#include "strata/knee/SideEvidence.h"

#include <cstring>

namespace strata::knee {

namespace {

Image labelImage(const std::vector<std::uint8_t>& labels, const Image& like)
{
    Image out(like.size(), PixelType::UInt8, 1);
    out.copyGeometryFrom(like);
    std::memcpy(out.data(), labels.data(), labels.size());
    return out;
}

std::string otherSide(const std::string& side)
{
    return side == "left" ? "right" : "left";
}

} // namespace

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
    nlohmann::json& acquisition = ctx.workspace().get(kAcquisition);
    const auto& card = model->card();
    const auto medial = card.labels.findByName("medial_tibial_cartilage");
    const auto lateral = card.labels.findByName("lateral_tibial_cartilage");
    // Nothing said which knee it is: the tibial plates may (SideEvidence.h).
    const bool sideFromAnatomy = acquisition.value("side_source", std::string()) == "assumed" &&
                                 !card.canonicalFrame.side.empty() && medial && lateral;
    Image out = labelImage(model->segment(input.pixels<float>(), input.size(), ctx.stopToken(),
                                          ctx.progressRange(0.02, sideFromAnatomy ? 0.55 : 1.0)),
                           input);
    std::vector<inference::SegmentationModel::LabelConfidence> confidence = model->lastConfidence();
    if (sideFromAnatomy) {
        // As it is, the plate the network calls medial should be the larger, thinner one of a knee of the model's
        // side. When that is not clear, the scan is segmented mirrored too: a knee of the other side then looks
        // like one of the model's side, and its plates say so clearly (an unmirrored knee of the other side is
        // segmented less cleanly, so its own evidence is weak: -0.13 and +0.03 for two left phantoms).
        const std::string modelSide = card.canonicalFrame.side;
        const SideEvidence asIs(out, card.canonicalFrame.axes, medial->id, lateral->id);
        std::string side = modelSide, source = asIs.verdict() == SideEvidence::Verdict::ModelSide ? "anatomy" : "assumed";
        nlohmann::json evidence{{"as_is", asIs.toJson()}};
        std::string why = "as it is, " + asIs.summary();
        // Only a plausible first pass asks the mirrored one: implausible plates (a scan the network segments
        // badly, or no knee at all) are not a question of side, and a second pass would double the time for nothing.
        if (source != "anatomy" && asIs.platesPlausible()) {
            const auto& reorientation = *ctx.workspace().get(kReorientation);
            ctx.progress(0.55, "Segmenting it mirrored too, to tell which knee it is");
            Image mirrored = reorientation.mirrorCopy(labelImage(
                model->segment(reorientation.mirrorCopy(input).pixels<float>(), input.size(), ctx.stopToken(),
                               ctx.progressRange(0.56, 1.0)),
                input));
            const SideEvidence flipped(mirrored, card.canonicalFrame.axes, medial->id, lateral->id);
            evidence["mirrored"] = flipped.toJson();
            why += "; mirrored, " + flipped.summary();
            if (flipped.verdict() == SideEvidence::Verdict::ModelSide &&
                flipped.score() - asIs.score() >= flipped.threshold()) {
                side = otherSide(modelSide);
                source = "anatomy";
                out = std::move(mirrored);
                confidence = model->lastConfidence();
            }
        }
        const std::string note =
            source == "anatomy"
                ? "The input does not say which knee it is (no DICOM Laterality); its tibial plates say a " + side +
                      " knee (" + why + "). Run with side=left or side=right if that is wrong."
                : assumedSideNote(side) + " The tibial plates did not tell (" + why + ").";
        recordDecidedSide(ctx, acquisition, modelSide,
                          {{"side", side}, {"source", source}, {"model_side", modelSide},
                           {"mirrored", side != modelSide}, {"evidence", evidence}, {"note", note}});
        acquisition["side_evidence"] = evidence;
    }
    ctx.note("tiling", model->lastTiling());
    if (!model->messages().empty()) {
        ctx.note("inference_messages", model->messages());
    }
    ctx.workspace().put(kModelLabels, std::move(out));
    ctx.workspace().put(kModelLabelTable, model->card().labels);
    ctx.workspace().put(kConfidence, std::move(confidence));
    ctx.workspace().erase(kModelInput);
    inference::SegmentationModelCache::giveBack(std::move(model));
}

} // namespace strata::knee

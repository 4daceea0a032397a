#include "knee/KneeStages.h"
#include "strata/CanonicalReorientation.h"
#include "strata/Error.h"
#include "strata/inference/SegmentationModel.h"
#include "strata/knee/KneeQuality.h"
#include "strata/quant/Cleanup.h"
#include "strata/quant/FluidBoundaryRefine.h"
#include "strata/quant/LabelProximity.h"

#include <memory>

namespace strata::knee {

namespace {

using ModelConfidence = inference::SegmentationModel::LabelConfidence;

/// Per structure of the card: final volume, the network's confidence, components before the cleanup.
/// `confidence` is null for given labels (no network ran).
constexpr double kPlateOnBoneMm = 1.5;
constexpr double kMeniscusNearTibiaMm = 3.0;

/// The bone a cartilage plate lies on (null: not a plate).
const char* boneOfPlate(const std::string& name)
{
    if (name == "femoral_cartilage") return "femur";
    if (name == "medial_tibial_cartilage" || name == "lateral_tibial_cartilage") return "tibia";
    if (name == "patellar_cartilage") return "patella";
    return nullptr;
}

QualityAssessment assess(const LabelMap& labels, const std::vector<ModelConfidence>* confidence,
                         const std::map<int, quant::LabelComponents>& components, const QualityRules& rules,
                         std::stop_token stop)
{
    const auto volumes = labels.volumesMm3();
    std::vector<StructureQualityInput> structures;
    double sum = 0.0, voxels = 0.0;
    for (const auto& info : labels.table().labels()) {
        if (info.id <= 0) continue;
        StructureQualityInput s;
        s.name = info.name;
        if (auto it = volumes.find(info.id); it != volumes.end()) s.volumeMm3 = it->second;
        if (confidence && static_cast<std::size_t>(info.id) < confidence->size()) {
            const auto& c = (*confidence)[static_cast<std::size_t>(info.id)];
            s.modelVoxels = c.voxels;
            s.meanConfidence = c.mean();
            sum += c.sumMaxProbability;
            voxels += static_cast<double>(c.voxels);
        }
        if (auto it = components.find(info.id); it != components.end()) {
            s.components = it->second.components;
            s.largestComponentFraction = it->second.largestFraction();
        }
        if (const char* bone = boneOfPlate(info.name)) {
            const auto b = labels.table().findByName(bone);
            if (b && volumes.contains(b->id) && volumes.contains(info.id))
                s.onBoneFraction = quant::shareNearLabel(labels.image(), info.id, b->id, rules.cartilageOnBoneMm, stop);
        }
        structures.push_back(std::move(s));
    }
    return assessKneeQuality(structures, voxels > 0 ? sum / voxels : (confidence ? 0.0 : -1.0), rules);
}

/// The knee's cleanup: one piece per structure; each cartilage plate keeps the piece lying on its bone (voxels
/// within 1.5 mm of it) and each meniscus the piece nearest the tibia (within 3 mm), not merely the largest.
/// On knees unlike its training a network can mark a larger false piece elsewhere (the infrapatellar fat pad
/// as femoral cartilage, a piece by the femoral shaft as lateral tibial cartilage): the largest-piece rule then
/// threw the plate away and kept the false piece (Dice 0 on independent-family knees).
quant::CleanupOptions kneeCleanupOptions(const LabelTable& table)
{
    quant::CleanupOptions o;
    const auto anchor = [&](const std::string& name, const char* bone, double mm) {
        const auto l = table.findByName(name);
        const auto b = table.findByName(bone);
        if (l && b && l->id > 0 && l->id < 256 && b->id > 0 && b->id < 256) o.anchors.push_back({l->id, b->id, mm});
    };
    for (const auto& info : table.labels())
        if (const char* bone = boneOfPlate(info.name)) anchor(info.name, bone, kPlateOnBoneMm);
    anchor("medial_meniscus", "tibia", kMeniscusNearTibiaMm);
    anchor("lateral_meniscus", "tibia", kMeniscusNearTibiaMm);
    return o;
}

} // namespace

void PostprocessStage::run(pipeline::StageContext& ctx)
{
    const Image& input = ctx.workspace().get(kImage);
    const bool given = ctx.workspace().contains(kGivenLabels);
    LabelMap labels;
    if (given) {
        labels = std::move(ctx.workspace().get(kGivenLabels));
        ctx.workspace().erase(kGivenLabels);
    } else {
        Image modelLabels = std::move(ctx.workspace().get(kModelLabels));
        ctx.workspace().erase(kModelLabels);
        const auto& reorientation = ctx.workspace().get(kReorientation);
        Image onInput = reorientation->back(modelLabels);
        modelLabels = Image();
        labels = LabelMap(std::move(onInput), ctx.workspace().get(kModelLabelTable));
    }
    std::map<int, quant::LabelComponents> components;
    if (given ? ctx.parameter<bool>("clean_given_labels") : ctx.parameter<bool>("cleanup")) {
        auto report = quant::cleanupLabels(labels, kneeCleanupOptions(labels.table()), ctx.stopToken(),
                                           ctx.progressRange(0.05, 0.95));
        nlohmann::json notLargest = nlohmann::json::object(); // structures whose kept piece is not their largest
        for (const auto& [id, c] : report.components)
            if (c.kept < c.largest)
                if (const auto info = labels.table().find(id))
                    notLargest[info->name] = {{"kept_voxels", c.kept}, {"largest_voxels", c.largest}};
        ctx.note("cleanup", {{"voxels_removed", report.voxelsRemoved},
                             {"voxels_filled", report.voxelsFilled},
                             {"kept_piece_on_bone_not_largest", notLargest}});
        components = std::move(report.components);
    } else { // count the components all the same
        ctx.progress(0.05, "Connected components");
        components = quant::countLabelComponents(labels, {}, ctx.stopToken());
    }
    if (given) {
        ctx.note("fluid_refine", {{"applied", false}, {"skipped_reason", "the labels were given"}});
    } else if (ctx.parameter<bool>("fluid_refine")) {
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
    const auto* confidence =
        ctx.workspace().contains(kConfidence) ? &ctx.workspace().get(kConfidence) : nullptr;
    ctx.progress(0.97, "Quality control");
    auto quality = assess(labels, confidence, components, ctx.workspace().get(kQualityRules), ctx.stopToken());
    if (given) { // no network: volumes and components only, the verdict from them
        quality.json["source"] = "given labels";
        quality.json["note"] = "The labels were given: there is no network confidence; the verdict rests on the "
                               "volumes and connected components of the given structures.";
    } else {
        quality.json["source"] = "network";
    }
    nlohmann::json note = {{"verdict", quality.verdict}, {"reasons", quality.reasons}, {"source", quality.json["source"]}};
    if (quality.json.contains("foreground_confidence")) note["foreground_confidence"] = quality.json["foreground_confidence"];
    ctx.note("quality", note);
    ctx.workspace().put(kQuality, std::move(quality.json));
    ctx.workspace().put(kSegmentation, std::move(labels));
}

} // namespace strata::knee

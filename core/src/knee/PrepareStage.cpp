#include "knee/GivenLabels.h"
#include "knee/KneeStages.h"
#include "knee/ModelDir.h"
#include "strata/CanonicalReorientation.h"
#include "strata/DicomLaterality.h"
#include "strata/Normalise.h"
#include "strata/Resample.h"
#include "strata/Sha256.h"
#include "strata/Error.h"
#include "strata/inference/ModelCard.h"
#include "strata/knee/KneeQuality.h"

#include <algorithm>
#include <cstdio>
#include <memory>

namespace strata::knee {

namespace {

/// Largest spacing above which thickness across the slices is called limited by the slices (mm).
constexpr double kThickSliceMm = 1.5;

struct SideDecision {
    std::string side;   ///< "left" or "right"
    std::string source; ///< "parameter", "dicom" or "assumed"
};

SideDecision decideSide(const std::string& parameter, const std::filesystem::path& input, const std::string& modelSide)
{
    if (parameter == "left" || parameter == "right") return {parameter, "parameter"};
    if (const std::string dicom = readDicomLaterality(input); !dicom.empty()) return {dicom, "dicom"};
    // No cheap anatomical cue is robust enough yet (the network itself tells medial from lateral by context).
    return {modelSide.empty() ? std::string("right") : modelSide, "assumed"};
}

std::string axisName(char letter)
{
    switch (letter) {
    case 'L': case 'R': return "left-right";
    case 'P': case 'A': return "anterior-posterior";
    default: return "superior-inferior";
    }
}

} // namespace

std::string assumedSideNote(const std::string& side)
{
    return "The input does not say which knee it is (no DICOM Laterality); it was assumed to be a " + side +
           " knee, the side the model was trained on. Run with side=left or side=right if that is wrong: medial and "
           "lateral labels depend on it.";
}

void recordDecidedSide(pipeline::StageContext& ctx, nlohmann::json& acquisition, const std::string& assumedSide,
                       const nlohmann::json& sideNote)
{
    ctx.note("side", sideNote);
    acquisition["side"] = sideNote.at("side");
    acquisition["side_source"] = sideNote.at("source");
    if (auto& notes = acquisition["notes"]; notes.is_array()) {
        std::replace(notes.begin(), notes.end(), nlohmann::json(assumedSideNote(assumedSide)), sideNote.at("note"));
    }
}

void PrepareStage::run(pipeline::StageContext& ctx)
{
    const auto card = inference::ModelCard::load(modelDirFromParameter(ctx.parameter<std::string>("model")));
    const Image& image = ctx.workspace().get(kImage);
    const auto& frame = card.canonicalFrame;

    const SideDecision side = decideSide(ctx.parameter<std::string>("side"), ctx.request().inputs.at("image"), frame.side);
    const bool mirror = !frame.side.empty() && side.side != frame.side;
    auto reorientation = std::make_shared<const CanonicalReorientation>(image, frame.axes, card.targetSpacing, mirror);
    nlohmann::json sideNote{{"side", side.side}, {"source", side.source}, {"model_side", frame.side}, {"mirrored", mirror}};
    if (side.source == "assumed") sideNote["note"] = assumedSideNote(side.side);
    ctx.note("side", sideNote);
    const nlohmann::json orientation = reorientation->toJson();
    ctx.note("orientation", orientation);
    ctx.workspace().put(kReorientation, reorientation);
    ctx.workspace().put(kQualityRules, QualityRules::fromCard(card.raw));
    nlohmann::json acquisition{{"side", side.side}, {"side_source", side.source}, {"orientation", orientation}};
    nlohmann::json notes = nlohmann::json::array();
    if (sideNote.contains("note")) notes.push_back(sideNote["note"]);

    // Thick slices: they run as they are (resampled to the model's spacing), but say what that means.
    const auto& sp = image.spacing();
    const auto thickAxis = static_cast<std::size_t>(std::max_element(sp.begin(), sp.end()) - sp.begin());
    if (sp[thickAxis] > kThickSliceMm) {
        const std::string dir = axisName(reorientation->inputFrame().axes()[thickAxis]);
        char buf[320];
        std::snprintf(buf, sizeof buf,
                      "Slices are %.2f mm thick (%s direction): cartilage thickness along that direction is limited "
                      "by the slice thickness, and plates lying across the slices are measured less accurately.",
                      sp[thickAxis], dir.c_str());
        ctx.note("slice_thickness", {{"spacing_mm", sp[thickAxis]}, {"direction", dir}, {"limit_mm", kThickSliceMm}, {"note", buf}});
        acquisition["slice_thickness_mm"] = sp[thickAxis];
        notes.push_back(buf);
    }
    if (!notes.empty()) acquisition["notes"] = notes;
    // A segmentation given with the scan: measured instead of the network's (no normalising or resampling).
    const auto& inputs = ctx.request().inputs;
    const std::string labelMap = ctx.parameter<std::string>("label_map");
    if (inputs.count("label_mapping") && labelMap != "file") {
        throw InvalidArgument("A label mapping file was given but label_map is '" + labelMap +
                              "'; set label_map=file to use it.");
    }
    if (auto it = inputs.find("labels"); it != inputs.end()) {
        GivenLabelMapping mapping;
        if (labelMap == "file") {
            auto m = inputs.find("label_mapping");
            if (m == inputs.end()) {
                throw InvalidArgument("label_map=file needs the label mapping file (input label_mapping, "
                                      "strata-cli run --label-map FILE.json).");
            }
            mapping = GivenLabelMapping::fromJsonFile(m->second);
        } else {
            mapping = GivenLabelMapping::builtIn(labelMap);
        }
        ctx.progress(0.1, "Reading the given labels " + it->second.filename().string());
        GivenLabels given = readGivenLabels(it->second, image, inputs.at("image").filename().string(), mapping,
                                            side.side != "left", card.labels);
        if (auto m = inputs.find("label_mapping"); m != inputs.end()) {
            given.record["mapping_file"] = {{"file", m->second.filename().string()}, {"sha256", Sha256::ofPath(m->second)}};
        }
        std::string sideName = side.side, sideSource = side.source;
        if (side.source == "assumed") { // nothing said which knee: the given labels may
            std::string how;
            if (const std::string labelled = sideFromGivenLabels(given, how); !labelled.empty()) {
                sideName = labelled;
                sideSource = "labels";
                const std::string note = "The input does not say which knee it is (no DICOM Laterality); the given "
                                         "labels do: a " + labelled + " knee (" + how + ").";
                recordDecidedSide(ctx, acquisition, side.side,
                                  {{"side", sideName}, {"source", sideSource}, {"model_side", frame.side},
                                   {"mirrored", false}, {"note", note}});
            }
        }
        if (given.record.contains("tibial_cartilage_split")) {
            given.record["tibial_cartilage_split"]["side"] = sideName;
            given.record["tibial_cartilage_split"]["side_source"] = sideSource;
        }
        ctx.note("labels", given.record);
        acquisition["labels"] = given.record;
        ctx.workspace().put(kAcquisition, std::move(acquisition));
        ctx.workspace().put(kGivenLabels, std::move(given.labels));
        return;
    }
    if (inputs.count("label_mapping")) {
        throw InvalidArgument("A label mapping file was given without labels to map (input labels, strata-cli run --labels).");
    }
    if (labelMap != "strata") { // it only says how to read a given segmentation: asked for without one, say so
        throw InvalidArgument("label_map=" + labelMap + " reads a given segmentation, but none was given (input labels, "
                              "strata-cli run --labels SEG); leave label_map at strata to let the network segment.");
    }

    ctx.workspace().put(kAcquisition, std::move(acquisition));

    const bool zscore = card.normalisation.method == "zscore";
    auto normalise = [&](const Image& grid) {
        return zscore ? clipAndZScore(grid, card.normalisation.clipLowPercentile, card.normalisation.clipHighPercentile)
                      : grid.convertedTo(PixelType::Float32);
    };
    Image input;
    if (reorientation->exact()) {
        ctx.progress(0.05, "Reorienting into the model's frame (" + reorientation->inputFrame().letters() + " -> " +
                               frame.axes.letters() + (mirror ? ", mirrored" : "") + ")");
        Image canonical = reorientation->toCanonical(image, Interpolation::Linear);
        if (!spacingMatches(canonical.spacing(), card.targetSpacing)) {
            ctx.progress(0.1, "Resampling to the model's spacing");
            canonical = resampleToSpacing(canonical, card.targetSpacing, Interpolation::Linear);
        }
        ctx.progress(0.6, "Normalising intensities");
        input = normalise(canonical);
    } else {
        // Oblique: normalise on the scan's own voxels, then resample; outside the field of view is background.
        ctx.progress(0.05, "Normalising intensities");
        const Image normalised = normalise(image);
        ctx.progress(0.3, "Resampling the oblique scan into the model's frame");
        input = reorientation->toCanonical(normalised, Interpolation::Linear, normalised.minMax()[0]);
    }
    ctx.workspace().put(kModelInput, std::move(input));
}

} // namespace strata::knee

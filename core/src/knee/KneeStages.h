#pragma once

#include "strata/inference/SegmentationModel.h"
#include "strata/pipeline/Pipeline.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

namespace strata {
class CanonicalReorientation;
class LabelMap;
class LabelTable;
namespace dicom {
struct DicomIdentity;
}
} // namespace strata

namespace strata::knee {

struct QualityRules;


// Workspace keys shared by the knee stages.
inline constexpr pipeline::WorkspaceKey<Image> kImage{"image"};            // the input scan
inline constexpr pipeline::WorkspaceKey<Image> kModelInput{"model_input"}; // float: resampled + normalised
inline constexpr pipeline::WorkspaceKey<Image> kModelLabels{"model_labels"}; // uint8: network output, model grid
inline constexpr pipeline::WorkspaceKey<LabelTable> kModelLabelTable{"model_card_labels"}; // the card's labels
inline constexpr pipeline::WorkspaceKey<LabelMap> kSegmentation{"segmentation"}; // on the input grid
inline constexpr pipeline::WorkspaceKey<Image> kThickness{"thickness"};     // float, mm, on the input grid
inline constexpr pipeline::WorkspaceKey<nlohmann::json> kMetrics{"metrics"};
// input grid <-> the model's canonical frame (and side)
inline constexpr pipeline::WorkspaceKey<std::shared_ptr<const CanonicalReorientation>> kReorientation{"reorientation"};
// side, orientation, notes for metrics.json
inline constexpr pipeline::WorkspaceKey<nlohmann::json> kAcquisition{"acquisition"};
// index = label id: the network's max-softmax probability per label (model grid)
inline constexpr pipeline::WorkspaceKey<std::vector<inference::SegmentationModel::LabelConfidence>> kConfidence{
    "model_confidence"};
inline constexpr pipeline::WorkspaceKey<QualityRules> kQualityRules{"quality_rules"}; // from the card (PrepareStage)
inline constexpr pipeline::WorkspaceKey<nlohmann::json> kQuality{"quality"}; // the quality object of metrics.json
// On the input grid in Strata's ids: a segmentation given with the scan (input "labels"); when present the network
// is not run, the fluid refinement is skipped and the cleanup runs only with clean_given_labels.
inline constexpr pipeline::WorkspaceKey<LabelMap> kGivenLabels{"given_labels"};
// The input's DICOM identity when it is a DICOM series: the write stage then adds dicom/seg.dcm, dicom/sr.dcm
inline constexpr pipeline::WorkspaceKey<dicom::DicomIdentity> kDicomIdentity{"dicom_identity"};

/// The note of a result whose side nothing said (no side parameter, no DICOM Laterality): assumed to be `side`.
[[nodiscard]] std::string assumedSideNote(const std::string& side);

/// Records a side decided after PrepareStage's first guess (`assumedSide`, from nothing): `sideNote` ({side, source,
/// model_side, mirrored, note, ...}) becomes the "side" note, its side and source the acquisition's, and its note
/// takes the place of the assumed-side note among the acquisition's notes.
void recordDecidedSide(pipeline::StageContext& ctx, nlohmann::json& acquisition, const std::string& assumedSide,
                       const nlohmann::json& sideNote);

/// Reads the scan; refuses 2D images, multi-component data and broken geometry (spacing, direction).
class LoadStage : public pipeline::Stage {
public:
    void run(pipeline::StageContext& ctx) override;
};

/// Decides the knee's side, brings the scan into the model card's canonical frame (axis permutation and flips
/// exactly, oblique scans by resampling; a knee of the other side mirrored), resamples to the model's spacing
/// (when it differs) and normalises as the model card says. With given labels: reads them instead (GivenLabels.h:
/// grid check, ids mapped as label_map says, a combined tibial cartilage split by the decided side).
class PrepareStage : public pipeline::Stage {
public:
    void run(pipeline::StageContext& ctx) override;
};

/// Runs the 3D U-Net (CPU or CUDA) by sliding windows. When nothing said which knee it is, the tibial plates of
/// the first pass decide (SideEvidence.h): a knee of the other side is segmented again mirrored; side, source
/// "anatomy" and the evidence go into the side note and the acquisition.
class SegmentStage : public pipeline::Stage {
public:
    void run(pipeline::StageContext& ctx) override;
};

/// Back onto the input grid (exact inverse of the reorientation, or nearest neighbour), one connected piece per
/// structure (plates: the one on their bone), holes filled, fluid boundary refined; then quality control (KneeQuality.h): verdict
/// ok | uncertain | not_a_knee with reasons. A not_a_knee result gets no thickness, volumes or meshes.
class PostprocessStage : public pipeline::Stage {
public:
    void run(pipeline::StageContext& ctx) override;
};

/// Cartilage thickness map and per-plate / per-region statistics, structure volumes.
class ThicknessStage : public pipeline::Stage {
public:
    void run(pipeline::StageContext& ctx) override;
};

/// Surface meshes of bones, cartilage (with thickness per vertex) and menisci.
class MeshStage : public pipeline::Stage {
public:
    void run(pipeline::StageContext& ctx) override;
};

/// Writes segmentation, thickness map, metrics.csv and metrics.json; for a DICOM input also dicom/seg.dcm (DICOM
/// SEG) and, when there are cartilage measurements, dicom/sr.dcm (TID 1500 measurement report).
class WriteStage : public pipeline::Stage {
public:
    void run(pipeline::StageContext& ctx) override;
};

} // namespace strata::knee

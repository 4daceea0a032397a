#pragma once

#include "strata/core/pipeline/Pipeline.h"

namespace strata::knee {

// Workspace keys shared by the knee stages.
inline constexpr const char* kImage = "image";             // Image: the input scan
inline constexpr const char* kModelInput = "model_input";  // Image (float): resampled + normalised
inline constexpr const char* kModelLabels = "model_labels"; // Image (uint8): network output on the model grid
inline constexpr const char* kSegmentation = "segmentation"; // LabelMap on the input grid
inline constexpr const char* kThickness = "thickness";     // Image (float, mm) on the input grid
inline constexpr const char* kMetrics = "metrics";         // nlohmann::json
// std::shared_ptr<const CanonicalReorientation>: input grid <-> the model's canonical frame (and side)
inline constexpr const char* kReorientation = "reorientation";
inline constexpr const char* kAcquisition = "acquisition"; // nlohmann::json: side, orientation, notes for metrics.json
// std::vector<inference::SegmentationModel::LabelConfidence>, index = label id: the network's max-softmax
// probability per label (model grid)
inline constexpr const char* kConfidence = "model_confidence";
inline constexpr const char* kQualityRules = "quality_rules"; // QualityRules from the model card (PrepareStage)
inline constexpr const char* kQuality = "quality";           // nlohmann::json: the quality object of metrics.json
// LabelMap on the input grid in Strata's ids: a segmentation given with the scan (input "labels"); when present the
// network is not run, the fluid refinement is skipped and the cleanup runs only with clean_given_labels.
inline constexpr const char* kGivenLabels = "given_labels";
// dicom::DicomIdentity of the input when it is a DICOM series: the write stage then adds dicom/seg.dcm, dicom/sr.dcm
inline constexpr const char* kDicomIdentity = "dicom_identity";

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

/// Runs the 3D U-Net (CPU or CUDA) by sliding windows.
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

#include "strata/knee/KneePipeline.h"

#include "knee/KneeStages.h"

namespace strata::knee {

namespace {

const char* kManifest = R"json({
  "id": "knee-mri",
  "title": "Knee MRI: cartilage segmentation and thickness",
  "description": "Segments femur, tibia, patella, the four cartilage plates and both menisci in a 3D knee MRI (sagittal DESS-like) with a 3D U-Net (the scan is first brought into the model's anatomical frame from its direction matrix: any axis order, flips or oblique slices; a left knee is mirrored), then measures cartilage thickness (local thickness, per plate and per Wirth & Eckstein subregion, with subchondral bone areas), volumes, and builds surface meshes. Given a segmentation (input labels), measures that instead of running the network.",
  "version": "1.0",
  "memory_bytes_per_voxel": 64,
  "inputs": [
    {"name": "image", "type": "image", "help": "3D knee MRI: NIfTI, NRRD, MHA or a DICOM series folder"},
    {"name": "labels", "type": "labelmap", "optional": true, "help": "a segmentation of this scan on its grid (same size, spacing, origin, direction) to measure instead of the network's: its ids are read as label_map says; the network, the fluid refinement and (unless clean_given_labels) the cleanup are skipped"},
    {"name": "label_mapping", "type": "file", "optional": true, "help": "with label_map=file: a JSON object {\"id\": \"name\"} naming the labels' ids with Strata's structures (femur, tibia, patella, femoral_cartilage, medial_tibial_cartilage, lateral_tibial_cartilage, patellar_cartilage, medial_meniscus, lateral_meniscus; tibial_cartilage: both plates, split by anatomy; ignore: not measured)"}
  ],
  "outputs": [
    {"name": "segmentation", "type": "labelmap", "help": "segmentation.nii.gz with its label table"},
    {"name": "thickness", "type": "image", "help": "thickness.nii.gz: cartilage thickness per voxel (mm)"},
    {"name": "meshes", "type": "mesh", "help": "meshes/<structure>.stl|ply|vtp in world coordinates (mm)"},
    {"name": "metrics", "type": "table", "help": "metrics.csv and metrics.json: volumes and thickness statistics"}
  ],
  "parameters": [
    {"name": "model", "type": "string", "default": "knee", "help": "model folder name under models/ (or an absolute path)"},
    {"name": "side", "type": "choice", "default": "auto", "choices": ["auto", "left", "right"], "help": "which knee: auto reads DICOM Laterality (0020,0060) / Image Laterality (0020,0062), else asks the anatomy (given labels with medial and lateral plates of their own: where the medial one lies; the network's tibial plates: the medial one larger and thinner), else assumes the model's side (right) and says so; a knee of the other side is mirrored into the model's side and back, so medial and lateral stay anatomically right"},
    {"name": "tile_voxels", "type": "int", "default": 0, "min": 0, "help": "largest sliding-window tile in voxels (0: 16M, a whole knee: smaller tiles lose context and accuracy)"},
    {"name": "tile_overlap", "type": "int", "default": 16, "min": 0, "max": 64, "help": "voxels shared by neighbouring tiles"},
    {"name": "tile_batch", "type": "int", "default": 1, "min": 1, "max": 16, "help": "tiles per forward pass"},
    {"name": "half_precision", "type": "bool", "default": true, "help": "fp16 inference on CUDA"},
    {"name": "cleanup", "type": "bool", "default": true, "help": "keep one piece per structure (a cartilage plate: the piece lying on its bone; a meniscus: the piece nearest the tibia; a bone: the largest) and fill holes"},
    {"name": "fluid_refine", "type": "bool", "default": true, "help": "use the unclipped intensities to give back to the joint fluid the bright voxels the network added to the cartilage surface, and to the cartilage the partial-volume voxels it left out"},
    {"name": "thickness_subvoxel_mm", "type": "number", "default": 0.25, "min": 0.0, "max": 1.0, "help": "measure thickness on the cartilage resampled to sub-voxels at most this size (mm): removes most of the staircase bias of oblique surfaces (0: on the scan's grid, faster)"},
    {"name": "label_map", "type": "choice", "default": "strata", "choices": ["strata", "oai-zib", "file"], "help": "with given labels, what their ids mean: strata (1 femur, 2 tibia, 3 patella, 4 femoral cartilage, 5 medial / 6 lateral tibial cartilage, 7 patellar cartilage, 8 medial / 9 lateral meniscus; 10-12, the phantoms' fluid, muscle and fat, are not measured), oai-zib (1 femur, 2 femoral cartilage, 3 tibia, 4 tibial cartilage, split into medial and lateral plates along the patient's left-right axis, medial towards the body midline as side says), file (the label_mapping input)"},
    {"name": "clean_given_labels", "type": "bool", "default": false, "help": "with given labels: keep one piece per structure (plates: the piece on their bone; bones: the largest) and fill holes (off: measured as given)"},
    {"name": "meshes", "type": "bool", "default": true, "help": "build and write surface meshes"},
    {"name": "mesh_smoothing", "type": "int", "default": 15, "min": 0, "max": 200, "help": "smoothing iterations"},
    {"name": "mesh_reduction", "type": "number", "default": 0.5, "min": 0.0, "max": 0.95, "help": "fraction of triangles removed by decimation"}
  ],
  "stages": [
    {"id": "load", "title": "Loading scan", "weight": 1},
    {"id": "prepare", "title": "Resampling and normalising", "weight": 1},
    {"id": "segment", "title": "Segmenting (3D U-Net)", "weight": 10},
    {"id": "postprocess", "title": "Cleaning up the segmentation", "weight": 1},
    {"id": "thickness", "title": "Measuring cartilage thickness", "weight": 3},
    {"id": "meshes", "title": "Building surface meshes", "weight": 2},
    {"id": "write", "title": "Writing results", "weight": 1}
  ]
})json";

} // namespace

KneePipeline::KneePipeline() : manifest_(pipeline::PipelineManifest::fromJson(nlohmann::json::parse(kManifest))) {}

std::vector<std::unique_ptr<pipeline::Stage>> KneePipeline::createStages() const
{
    std::vector<std::unique_ptr<pipeline::Stage>> s;
    s.push_back(std::make_unique<LoadStage>());
    s.push_back(std::make_unique<PrepareStage>());
    s.push_back(std::make_unique<SegmentStage>());
    s.push_back(std::make_unique<PostprocessStage>());
    s.push_back(std::make_unique<ThicknessStage>());
    s.push_back(std::make_unique<MeshStage>());
    s.push_back(std::make_unique<WriteStage>());
    return s;
}

} // namespace strata::knee

#include "strata/superres/SuperResPipeline.h"

#include "superres/SuperResStages.h"

namespace strata::superres {

namespace {

const char* kManifest = R"json({
  "id": "superres",
  "title": "Super-resolution",
  "description": "Upscales an image or a video x2 or x4 with an ESRGAN-family network (UpscalerJS RDN weights converted to TorchScript), tile by tile with overlapping tiles blended without seams, so large images fit in memory. Videos are decoded, upscaled in batches of frames and written as MJPEG AVI (no audio).",
  "version": "1.0",
  "inputs": [{"name": "input", "type": "media", "help": "an image (PNG, JPEG, TIFF, BMP, PNM, WebP) or a video (AVI, MP4, MKV, MOV, WebM, MPEG)"}],
  "outputs": [
    {"name": "upscaled", "type": "image", "help": "upscaled.png (image input) or upscaled.avi (video input)"},
    {"name": "comparison", "type": "image", "help": "bicubic.png (image) or preview/bicubic.png + preview/upscaled.png (first video frame): the before/after view"},
    {"name": "summary", "type": "table", "help": "superres.json: sizes, scale, model, tiles, frames, timings"}
  ],
  "parameters": [
    {"name": "model", "type": "string", "default": "slim-x4", "help": "slim-x2, slim-x4, medium-x2 or medium-x4 (models/sr/<name>), or a model folder path"},
    {"name": "tile", "type": "int", "default": 256, "min": 0, "max": 8192, "help": "largest tile side in input pixels (bounds memory; tiles are shrunk evenly to cover the image; 0: whole image in one pass)"},
    {"name": "overlap", "type": "int", "default": 0, "min": 0, "max": 1024, "help": "pixels shared by neighbouring tiles (raised to what the model's receptive field needs)"},
    {"name": "batch", "type": "int", "default": 4, "min": 1, "max": 256, "help": "tiles per forward pass"},
    {"name": "frame_batch", "type": "int", "default": 4, "min": 1, "max": 256, "help": "video frames decoded and upscaled together"},
    {"name": "max_frames", "type": "int", "default": 0, "min": 0, "help": "upscale only the first frames of a video (0: all)"},
    {"name": "max_megapixels", "type": "number", "default": 16, "min": 0.0001, "max": 1000, "help": "larger input images or video frames are refused (before decoding where the header says)"},
    {"name": "detail_blend", "type": "number", "default": 0.12, "min": 0.0, "max": 1.0, "help": "local contrast (SD of luma, 0-1) from which the network's output is used as is; below it, it is mixed with bicubic in proportion, so smooth areas get no invented texture (0: network only)"},
    {"name": "comparison", "type": "bool", "default": true, "help": "write the bicubic upscale for the before/after view"}
  ],
  "stages": [
    {"id": "probe", "title": "Reading input and model", "weight": 1},
    {"id": "upscale", "title": "Upscaling", "weight": 20},
    {"id": "write", "title": "Writing results", "weight": 1}
  ]
})json";

} // namespace

SuperResPipeline::SuperResPipeline() : manifest_(pipeline::PipelineManifest::fromJson(nlohmann::json::parse(kManifest))) {}

std::vector<std::unique_ptr<pipeline::Stage>> SuperResPipeline::createStages() const
{
    std::vector<std::unique_ptr<pipeline::Stage>> s;
    s.push_back(std::make_unique<ProbeStage>());
    s.push_back(std::make_unique<UpscaleStage>());
    s.push_back(std::make_unique<SuperResWriteStage>());
    return s;
}

} // namespace strata::superres

#include "strata/classify/ClassifyPipeline.h"

#include "classify/ClassifyStages.h"

namespace strata::classify {

namespace {

const char* kManifest = R"json({
  "id": "classify",
  "title": "Image classification",
  "description": "Classifies images with a small CNN (default: clothing, the 10 Fashion-MNIST classes) and gives the top-k labels with their probabilities for each image.",
  "version": "1.0",
  "inputs": [{"name": "images", "type": "images", "help": "an image (PNG, JPEG, TIFF, BMP, PNM, WebP), a multi-page TIFF, or a folder of them"}],
  "outputs": [
    {"name": "predictions", "type": "table", "help": "predictions.json and predictions.csv: top-k labels and probabilities per image, label counts"}
  ],
  "parameters": [
    {"name": "model", "type": "string", "default": "fashion", "help": "model folder name under models/ (or a path)"},
    {"name": "top_k", "type": "int", "default": 3, "min": 1, "max": 100, "help": "labels listed per image"},
    {"name": "batch", "type": "int", "default": 64, "min": 1, "max": 4096, "help": "images per forward pass"},
    {"name": "polarity", "type": "choice", "default": "model", "choices": ["model", "as-is"], "help": "model: invert images whose background is the opposite of the training data's (as the card says); as-is: never invert"},
    {"name": "max_megapixels", "type": "number", "default": 100, "min": 0.0001, "max": 2000, "help": "larger images are refused before they are decoded"},
    {"name": "on_error", "type": "choice", "default": "fail", "choices": ["fail", "skip"], "help": "an unreadable image fails the run, or is listed with its error"}
  ],
  "stages": [
    {"id": "collect", "title": "Finding images", "weight": 1},
    {"id": "classify", "title": "Classifying", "weight": 10},
    {"id": "write", "title": "Writing results", "weight": 1}
  ]
})json";

} // namespace

ClassifyPipeline::ClassifyPipeline() : manifest_(pipeline::PipelineManifest::fromJson(nlohmann::json::parse(kManifest))) {}

std::vector<std::unique_ptr<pipeline::Stage>> ClassifyPipeline::createStages() const
{
    std::vector<std::unique_ptr<pipeline::Stage>> s;
    s.push_back(std::make_unique<CollectStage>());
    s.push_back(std::make_unique<ClassifyStage>());
    s.push_back(std::make_unique<ClassifyWriteStage>());
    return s;
}

} // namespace strata::classify

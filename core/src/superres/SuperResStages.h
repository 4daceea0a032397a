#pragma once

#include "strata/inference/SuperResolutionModel.h"
#include "strata/pipeline/Pipeline.h"
#include "strata/superres/RgbPlanes.h"
#include "strata/superres/TiledUpscaler.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>
#include <string>

namespace strata::superres {

// Workspace keys shared by the super-resolution stages.
struct SuperResJob;
inline constexpr pipeline::WorkspaceKey<std::shared_ptr<SuperResJob>> kJob{"superres_job"};

/// What the stages hand on: the input, its kind, the loaded model and what was written.
struct SuperResJob {
    std::filesystem::path input;
    bool video{false};
    RgbPlanes image;                 ///< image input, read by the probe stage
    int width{0};
    int height{0};
    double fps{0.0};                 ///< video
    long long frameCount{0};         ///< video, as the container says (may be an estimate)
    std::shared_ptr<inference::SuperResolutionModel> model;
    nlohmann::json summary = nlohmann::json::object(); ///< superres.json
};

/// models/sr/<name> for a bare name, else the folder itself.
std::filesystem::path superResModelDir(const std::string& parameter);

/// Reads the image (or opens the video and checks its first frame) with clear errors, loads the model.
class ProbeStage : public pipeline::Stage {
public:
    void run(pipeline::StageContext& ctx) override;
};

/// Upscales the image, or the video frame batch by frame batch.
class UpscaleStage : public pipeline::Stage {
public:
    void run(pipeline::StageContext& ctx) override;
};

/// Writes superres.json.
class SuperResWriteStage : public pipeline::Stage {
public:
    void run(pipeline::StageContext& ctx) override;
};

/// Tile size, overlap and batch from the run parameters.
TileOptions tileOptions(const pipeline::StageContext& ctx);

/// The two upscale paths (UpscaleStage picks one).
void upscaleImage(pipeline::StageContext& ctx, SuperResJob& job);
void upscaleVideo(pipeline::StageContext& ctx, SuperResJob& job);

} // namespace strata::superres

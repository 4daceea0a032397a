#include "superres/SuperResStages.h"

#include "io/VideoReader.h"
#include "strata/Error.h"
#include "strata/ImageIO.h"
#include "strata/ModelLocator.h"
#include "strata/superres/RgbImageOps.h"

#include <opencv2/videoio.hpp>

#include <cstdio>

namespace strata::superres {

std::filesystem::path superResModelDir(const std::string& parameter)
{
    const std::filesystem::path p(parameter);
    std::error_code ec;
    if (p.is_absolute() || std::filesystem::exists(p / "model.json", ec)) {
        return p;
    }
    return findModelDir("sr/" + parameter);
}

void ProbeStage::run(pipeline::StageContext& ctx)
{
    auto job = std::make_shared<SuperResJob>();
    job->input = ctx.request().inputs.at("input");
    job->video = formatFromPath(job->input) == ImageFormat::Video;
    const auto maxPixels = static_cast<std::uint64_t>(ctx.parameter<double>("max_megapixels") * 1e6);
    ctx.progress(0.0, "Reading " + job->input.filename().string());
    std::error_code ec;
    if (job->video) {
        if (!std::filesystem::is_regular_file(job->input, ec) || std::filesystem::file_size(job->input, ec) == 0) {
            throw IoError("Video '" + job->input.filename().string() + "' is missing or empty (0 bytes).");
        }
        io::VideoReader video(job->input);
        cv::Mat first;
        if (!video.isOpened() || !video.read(first, "Video '" + job->input.filename().string() + "'", 1)) {
            throw IoError("Video '" + job->input.filename().string() +
                          "' cannot be decoded: not a video OpenCV can read, or corrupt (no frame could be decoded).");
        }
        job->width = first.cols;
        job->height = first.rows;
        job->fps = video.fps();
        job->frameCount = static_cast<long long>(video.frameCount());
        const auto pixels = static_cast<std::uint64_t>(first.cols) * static_cast<std::uint64_t>(first.rows);
        if (pixels > maxPixels) {
            char mp[96];
            std::snprintf(mp, sizeof mp, " = %.2f megapixels; the limit (parameter max_megapixels) is %.2f megapixels.",
                          static_cast<double>(pixels) / 1e6, static_cast<double>(maxPixels) / 1e6);
            throw InvalidArgument("Video frames are " + std::to_string(first.cols) + " x " + std::to_string(first.rows) + mp);
        }
    } else {
        job->image = readRgb(job->input, maxPixels);
        job->width = job->image.width;
        job->height = job->image.height;
    }
    ctx.progress(0.5, "Loading model");
    inference::InferenceOptions options;
    options.device = ctx.request().device;
    options.threads = ctx.request().threads;
    job->model = inference::SuperResolutionModel::load(superResModelDir(ctx.parameter<std::string>("model")), options);
    const auto& card = job->model->card();
    ctx.note("device", job->model->deviceDescription());
    ctx.note("model", {{"name", card.name}, {"version", card.version}, {"sha256", card.sha256}, {"scale", job->model->scale()}});
    if (!job->model->messages().empty()) {
        ctx.note("inference_messages", job->model->messages());
    }
    ctx.workspace().put(kJob, job);
}

void UpscaleStage::run(pipeline::StageContext& ctx)
{
    auto& job = *ctx.workspace().get(kJob);
    if (job.video) {
        upscaleVideo(ctx, job);
    } else {
        upscaleImage(ctx, job);
    }
}

} // namespace strata::superres

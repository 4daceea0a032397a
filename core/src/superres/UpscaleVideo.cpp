#include "superres/SuperResStages.h"

#include "io/VideoReader.h"
#include "strata/Error.h"
#include "strata/superres/DetailBlend.h"
#include "strata/superres/RgbImageOps.h"
#include "strata/superres/TiledUpscaler.h"
#include "superres/RgbMat.h"

#include <opencv2/videoio.hpp>

#include <filesystem>

namespace strata::superres {

void upscaleVideo(pipeline::StageContext& ctx, SuperResJob& job)
{
    const TiledUpscaler upscaler(*job.model, tileOptions(ctx), ctx.stopToken());
    const int s = job.model->scale();
    io::VideoReader video(job.input);
    if (!video.isOpened()) {
        throw IoError("Video '" + job.input.filename().string() + "' cannot be opened any more.");
    }
    const long long maxFrames = ctx.parameter<int>("max_frames");
    long long total = job.frameCount > 0 ? job.frameCount : 0;
    if (maxFrames > 0 && (total == 0 || maxFrames < total)) {
        total = maxFrames;
    }
    const double fps = job.fps > 0 && job.fps < 1000 ? job.fps : 25.0;
    const auto outPath = ctx.outputDir() / "upscaled.avi";
    cv::VideoWriter writer(outPath.string(), cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), fps,
                           cv::Size(job.width * s, job.height * s), true);
    if (!writer.isOpened()) {
        throw IoError("Cannot write '" + outPath.string() + "' (no MJPEG AVI encoder in this OpenCV build).");
    }
    writer.set(cv::VIDEOWRITER_PROP_QUALITY, 95);
    const auto frameBatch = static_cast<std::size_t>(ctx.parameter<int>("frame_batch"));
    const bool comparison = ctx.parameter<bool>("comparison");
    const double detailBlend = ctx.parameter<double>("detail_blend");
    long long done = 0;
    bool more = true;
    cv::Mat frame;
    const auto totalText = [&] { return total > 0 ? "/" + std::to_string(total) : std::string(); };
    while (more) {
        std::vector<RgbPlanes> batch;
        while (batch.size() < frameBatch && (maxFrames == 0 || done + static_cast<long long>(batch.size()) < maxFrames)) {
            if (!video.read(frame, "Video '" + job.input.filename().string() + "'",
                            done + static_cast<long long>(batch.size()) + 1)) {
                more = false;
                break;
            }
            if (frame.cols != job.width || frame.rows != job.height) {
                throw IoError("Video '" + job.input.filename().string() + "': frame " + std::to_string(done + batch.size() + 1) +
                              " is " + std::to_string(frame.cols) + " x " + std::to_string(frame.rows) + ", the first was " +
                              std::to_string(job.width) + " x " + std::to_string(job.height) + ".");
            }
            batch.push_back(fromBgr8(frame));
        }
        if (maxFrames > 0 && done + static_cast<long long>(batch.size()) >= maxFrames) {
            more = false;
        }
        if (batch.empty()) {
            break;
        }
        const auto n = static_cast<double>(batch.size());
        const std::string range = "Upscaling frames " + std::to_string(done + 1) + "-" +
                                  std::to_string(done + static_cast<long long>(batch.size())) + totalText();
        auto network = upscaler.upscale(batch, ctx.stopToken(), [&](double f, const std::string& tiles) {
            // within a batch of frames: progress by tiles (a frame can take seconds on a CPU)
            ctx.progress(total > 0 ? std::min(1.0, (static_cast<double>(done) + f * n) / total) : 0.5, range + ": " + tiles);
        });
        for (std::size_t i = 0; i < network.size(); ++i) {
            const RgbPlanes bicubic = resizeBicubic(batch[i], network[i].width, network[i].height);
            const RgbPlanes out = blendDetail(std::move(network[i]), bicubic, detailBlend);
            if (done == 0 && i == 0 && comparison) {
                std::filesystem::create_directories(ctx.outputDir() / "preview");
                writeRgbPng(out, ctx.outputDir() / "preview" / "upscaled.png");
                writeRgbPng(bicubic, ctx.outputDir() / "preview" / "bicubic.png");
            }
            writer.write(toBgr8(out));
        }
        done += static_cast<long long>(batch.size());
        const double fraction = total > 0 ? std::min(1.0, static_cast<double>(done) / total) : 0.5;
        ctx.progress(fraction, "Frame " + std::to_string(done) + totalText());
    }
    writer.release();
    if (done == 0) {
        throw IoError("Video '" + job.input.filename().string() + "' has no decodable frames.");
    }
    job.summary["output"] = "upscaled.avi";
    job.summary["codec"] = "MJPG";
    if (comparison) {
        job.summary["comparison"] = {{"before", "preview/bicubic.png"}, {"after", "preview/upscaled.png"}};
    }
    job.summary["output_width"] = job.width * s;
    job.summary["output_height"] = job.height * s;
    job.summary["frames"] = done;
    job.summary["fps_input"] = job.fps;
    job.summary["tiles_per_frame"] = upscaler.starts(job.width).size() * upscaler.starts(job.height).size();
    job.summary["overlap"] = upscaler.effectiveOverlap();
}

} // namespace strata::superres

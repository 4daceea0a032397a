// Super-resolution video throughput: frames/s of the 'superres' pipeline (OpenCV decode -> tiled network ->
// MJPEG encode) on the first N frames of a video, against baselines in the same run: bicubic upscaling with
// the same decode and encode, and the pipeline without tiling (tile 0).
//
//   strata_superres_bench [--video FILE] [--model slim-x2] [--frames 6] [--tile 256] [--batch 4]
//                         [--frame-batch 4] [--device cpu|cuda|auto] [--threads N] [--json FILE]
// Default video: vtest.avi (768 x 576) from the Debian package opencv-doc.
#include "strata/StandardPipelines.h"
#include "strata/pipeline/LocalExecutor.h"

#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include <unistd.h>

using namespace strata;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

namespace {

struct Options {
    std::string video{"/usr/share/doc/opencv-doc/examples/data/vtest.avi"};
    std::string model{"slim-x2"};
    int frames{6};
    int tile{256};
    int batch{4};
    int frameBatch{4};
    std::string device{"cpu"};
    int threads{0};
    std::string json;
};

double bicubicFps(const Options& o, int scale, const fs::path& out)
{
    cv::VideoCapture cap(o.video);
    cv::Mat f, up;
    const auto t0 = Clock::now();
    cv::VideoWriter w;
    int n = 0;
    while (n < o.frames && cap.read(f)) {
        cv::resize(f, up, cv::Size(f.cols * scale, f.rows * scale), 0, 0, cv::INTER_CUBIC);
        if (!w.isOpened()) w.open(out.string(), cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 25.0, up.size(), true);
        w.write(up);
        ++n;
    }
    w.release();
    return n / std::chrono::duration<double>(Clock::now() - t0).count();
}

/// Runs the pipeline; returns {frames/s of the upscale stage, frames/s of the whole run, device}.
std::tuple<double, double, std::string> pipelineFps(const Options& o, int tile, const fs::path& out)
{
    pipeline::RunRequest r;
    r.pipeline = "superres";
    r.inputs["input"] = o.video;
    r.outputDir = out;
    r.device = o.device;
    r.threads = o.threads;
    r.parameters = {{"model", o.model}, {"tile", tile}, {"batch", o.batch}, {"frame_batch", o.frameBatch},
                    {"max_frames", o.frames}, {"comparison", false}};
    pipeline::NullProgressSink sink;
    pipeline::LocalExecutor exec(standardPipelines());
    const auto t0 = Clock::now();
    const auto res = exec.run(r, sink, {});
    const double total = std::chrono::duration<double>(Clock::now() - t0).count();
    if (res.status != pipeline::RunStatus::Succeeded) {
        throw std::runtime_error("superres run failed: " + res.message);
    }
    double stage = total;
    for (const auto& t : res.provenance.value("stage_timings", nlohmann::json::array())) {
        if (t.value("stage", "") == "upscale") stage = t.value("seconds", total);
    }
    return {o.frames / stage, o.frames / total, res.provenance.value("device", std::string("?"))};
}

} // namespace

int main(int argc, char** argv)
{
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) throw std::runtime_error(a + " needs a value");
            return argv[++i];
        };
        if (a == "--video") o.video = next();
        else if (a == "--model") o.model = next();
        else if (a == "--frames") o.frames = std::stoi(next());
        else if (a == "--tile") o.tile = std::stoi(next());
        else if (a == "--batch") o.batch = std::stoi(next());
        else if (a == "--frame-batch") o.frameBatch = std::stoi(next());
        else if (a == "--device") o.device = next();
        else if (a == "--threads") o.threads = std::stoi(next());
        else if (a == "--json") o.json = next();
        else {
            std::cerr << "usage: strata_superres_bench [--video FILE] [--model slim-x2] [--frames 6] [--tile 256] [--batch 4]\n"
                         "       [--frame-batch 4] [--device cpu|cuda|auto] [--threads N] [--json FILE]\n";
            return 2;
        }
    }
    if (!fs::exists(o.video)) {
        std::cerr << "video " << o.video << " not found (apt-get install opencv-doc)\n";
        return 1;
    }
    const int scale = o.model.find("x4") != std::string::npos ? 4 : 2;
    const fs::path tmp = fs::temp_directory_path() / ("strata-superres-bench-" + std::to_string(::getpid()));
    fs::create_directories(tmp);
    cv::VideoCapture probe(o.video);
    std::printf("video %s (%d x %d), first %d frames, model %s (x%d), device %s\n", o.video.c_str(),
                static_cast<int>(probe.get(cv::CAP_PROP_FRAME_WIDTH)), static_cast<int>(probe.get(cv::CAP_PROP_FRAME_HEIGHT)),
                o.frames, o.model.c_str(), scale, o.device.c_str());
    nlohmann::json report{{"video", o.video}, {"frames", o.frames}, {"model", o.model}, {"device", o.device}};
    try {
        const double bic = bicubicFps(o, scale, tmp / "bicubic.avi");
        std::printf("%-44s %8.2f frames/s\n", "bicubic (decode + resize + encode)", bic);
        const auto [tiledStage, tiledRun, dev] = pipelineFps(o, o.tile, tmp / "tiled");
        std::printf("%-44s %8.3f frames/s (whole run %.3f)  [%s]\n", ("superres, tile " + std::to_string(o.tile)).c_str(),
                    tiledStage, tiledRun, dev.c_str());
        const auto [wholeStage, wholeRun, dev2] = pipelineFps(o, 0, tmp / "untiled");
        std::printf("%-44s %8.3f frames/s (whole run %.3f)\n", "superres, untiled (tile 0)", wholeStage, wholeRun);
        std::printf("ratios: tiled / bicubic %.4f (bicubic is %.0fx faster); tiled / untiled %.3f\n", tiledStage / bic,
                    bic / tiledStage, tiledStage / wholeStage);
        report["device_used"] = dev;
        report["bicubic_fps"] = bic;
        report["superres_tiled"] = {{"tile", o.tile}, {"upscale_stage_fps", tiledStage}, {"run_fps", tiledRun}};
        report["superres_untiled"] = {{"upscale_stage_fps", wholeStage}, {"run_fps", wholeRun}};
    } catch (const std::exception& e) {
        std::cerr << e.what() << "\n";
        fs::remove_all(tmp);
        return 1;
    }
    fs::remove_all(tmp);
    if (!o.json.empty()) std::ofstream(o.json) << report.dump(2) << "\n";
    return 0;
}

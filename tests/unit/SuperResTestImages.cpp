#include "SuperResTestImages.h"

#include "strata/superres/RgbImageOps.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include <random>

namespace strata::test {

namespace {

cv::Mat sceneBgr(int width, int height, unsigned seed)
{
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(0.0f, 1.0f);
    cv::Mat acc(height, width, CV_32FC3, cv::Scalar(0, 0, 0));
    for (int cell : {3, 9, 27}) {
        cv::Mat coarse(height / cell + 2, width / cell + 2, CV_32FC3);
        for (int y = 0; y < coarse.rows; ++y) {
            for (int x = 0; x < coarse.cols; ++x) {
                coarse.at<cv::Vec3f>(y, x) = {u(rng), u(rng), u(rng)};
            }
        }
        cv::Mat up;
        cv::resize(coarse, up, cv::Size(coarse.cols * cell, coarse.rows * cell), 0, 0, cv::INTER_CUBIC);
        acc += up(cv::Rect(0, 0, width, height)) * (1.0 / 3.0);
    }
    cv::Mat img;
    acc.convertTo(img, CV_8UC3, 255.0);
    std::uniform_int_distribution<int> px(0, std::max(width, height));
    for (int i = 0; i < 6; ++i) {
        const cv::Scalar colour(u(rng) * 255, u(rng) * 255, u(rng) * 255);
        cv::circle(img, {px(rng) % width, px(rng) % height}, 4 + px(rng) % (width / 5 + 1), colour, -1, cv::LINE_AA);
        cv::line(img, {px(rng) % width, px(rng) % height}, {px(rng) % width, px(rng) % height}, colour, 1 + i % 3, cv::LINE_AA);
    }
    cv::putText(img, "Strata 42", {width / 10, height / 2}, cv::FONT_HERSHEY_SIMPLEX, width / 160.0, cv::Scalar(20, 20, 20), 2,
                cv::LINE_AA);
    return img;
}

} // namespace

superres::RgbPlanes syntheticScene(int width, int height, unsigned seed)
{
    cv::Mat bgr = sceneBgr(width, height, seed);
    superres::RgbPlanes out(width, height);
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x) {
            const auto p = bgr.at<cv::Vec3b>(y, x);
            for (int c = 0; c < 3; ++c) {
                out.at(c, y, x) = p[2 - c] / 255.0f;
            }
        }
    }
    return out;
}

std::vector<std::pair<std::string, superres::RgbPlanes>> samplePhotos(int size)
{
    const std::filesystem::path dir = "/usr/share/doc/opencv-doc/examples/data";
    std::vector<std::pair<std::string, superres::RgbPlanes>> out;
    for (const char* name : {"aloeGT.png", "basketball1.png", "chicky_512.png", "graf1.png"}) { // PNG: no JPEG artefacts
        std::error_code ec;
        if (!std::filesystem::exists(dir / name, ec)) {
            continue;
        }
        const auto full = superres::readRgb(dir / name, 100'000'000);
        if (full.width < size || full.height < size) {
            continue;
        }
        superres::RgbPlanes crop(size, size);
        const int x0 = (full.width - size) / 2, y0 = (full.height - size) / 2;
        for (int c = 0; c < 3; ++c) {
            for (int y = 0; y < size; ++y) {
                for (int x = 0; x < size; ++x) {
                    crop.at(c, y, x) = full.at(c, y0 + y, x0 + x);
                }
            }
        }
        out.emplace_back(name, std::move(crop));
    }
    return out;
}

void writeTestVideo(const std::filesystem::path& path, int width, int height, int frames)
{
    cv::VideoWriter w(path.string(), cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 10.0, cv::Size(width, height), true);
    const cv::Mat base = sceneBgr(width * 2, height * 2, 5);
    for (int i = 0; i < frames; ++i) {
        w.write(base(cv::Rect(i % width, (i * 2) % height, width, height)).clone());
    }
}

} // namespace strata::test

// Super-resolution quality: PNG photos (Debian opencv-doc) are downscaled x2 / x4 (area average, 8-bit), upscaled
// back by the network and by bicubic interpolation, and compared with the original (PSNR, SSIM, sharpness).
//
// Findings (see models/sr/README.md): the UpscalerJS slim/medium weights as converted do NOT beat bicubic in PSNR
// or SSIM on clean downscaled images (mean PSNR -0.45 / -0.60 dB for slim / medium x2, -0.88 / -0.54 dB x4). The
// shipped models (all four) are those weights fine-tuned with a pixel loss on clean area-average
// downscales of OTHER images (opencv-doc and Debian wallpaper photos; models/sr/finetune.py; the four images here and
// the other views / frames of their scenes are excluded from training). slim-x2 (+0.34 dB, SSIM +0.008) and
// medium-x2 (+0.61 dB, SSIM +0.009) beat bicubic as networks alone. medium-x4 (-0.54 -> -0.12 dB, SSIM +0.005)
// and slim-x4 (-0.88 -> -0.21 dB, SSIM +0.001) alone are above bicubic in SSIM only: their x4 texture costs PSNR in
// smooth areas. What the pipeline writes is the network's output mixed with bicubic by local contrast
// (blendDetail, parameter detail_blend, set on held-out validation photos): that beats bicubic for all four models,
// the requirement test below.
// The other test guards what every shipped network gives: PSNR/SSIM close to bicubic (a broken conversion, colour
// order, alignment or tiling costs several dB) and, for x4, sharper output than bicubic.
#include "SuperResTestImages.h"
#include "strata/ModelLocator.h"
#include "strata/inference/SuperResolutionModel.h"
#include "strata/superres/DetailBlend.h"
#include "strata/superres/ImageQuality.h"
#include "strata/superres/SuperResPipeline.h"
#include "strata/superres/RgbImageOps.h"
#include "strata/superres/TiledUpscaler.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace strata;
using namespace strata::superres;

namespace {

/// Mean absolute luma difference between horizontal and vertical neighbours: how much fine detail an image has.
double sharpness(const RgbPlanes& im)
{
    auto luma = [&](int y, int x) { return 0.299 * im.at(0, y, x) + 0.587 * im.at(1, y, x) + 0.114 * im.at(2, y, x); };
    double sum = 0;
    for (int y = 0; y + 1 < im.height; ++y) {
        for (int x = 0; x + 1 < im.width; ++x) {
            sum += std::abs(luma(y, x + 1) - luma(y, x)) + std::abs(luma(y + 1, x) - luma(y, x));
        }
    }
    return sum / ((im.width - 1.0) * (im.height - 1.0));
}

struct Scores {
    double psnrSr{0}, psnrBic{0}, ssimSr{0}, ssimBic{0}, sharpSr{0}, sharpBic{0}, sharpHr{0};
    std::size_t images{0};
};

/// The superres pipeline's default detail_blend.
double pipelineDetailBlend()
{
    const SuperResPipeline pipeline;
    for (const auto& p : pipeline.manifest().parameters)
        if (p.name == "detail_blend") return p.defaultValue.get<double>();
    ADD_FAILURE() << "the superres pipeline has no detail_blend parameter";
    return 0.0;
}

/// Scores of the network alone (blend 0) or of the pipeline's output (network mixed with bicubic, blendDetail).
Scores measure(const std::string& model, double blend = 0.0)
{
    std::vector<std::pair<std::string, RgbPlanes>> images = test::samplePhotos(192);
    if (images.empty()) {
        std::printf("opencv-doc is not installed: synthetic scenes instead of photos\n");
        images.emplace_back("synthetic-1", test::syntheticScene(192, 192, 11));
        images.emplace_back("synthetic-2", test::syntheticScene(192, 192, 12));
    }
    auto net = inference::SuperResolutionModel::load(findModelDir("sr/" + model), {"cpu"});
    const int s = net->scale();
    const TiledUpscaler up(*net, {0, 0, 1}, {});
    Scores m;
    m.images = images.size();
    const double n = static_cast<double>(images.size());
    for (const auto& [label, hr] : images) {
        const RgbPlanes lr = quantise8(downscaleArea(hr, s));
        const RgbPlanes bicubic = resizeBicubic(lr, hr.width, hr.height);
        const RgbPlanes sr = quantise8(blendDetail(up.upscale(lr, {}), bicubic, blend));
        const RgbPlanes bic = quantise8(bicubic);
        const double ps = psnr(hr, sr, s), pb = psnr(hr, bic, s), ss = ssim(hr, sr, s), sb = ssim(hr, bic, s);
        std::printf("%-9s %-16s PSNR %.2f dB (bicubic %.2f)  SSIM %.4f (bicubic %.4f)  sharpness %.4f (bicubic %.4f, original %.4f)\n",
                    model.c_str(), label.c_str(), ps, pb, ss, sb, sharpness(sr), sharpness(bic), sharpness(hr));
        m.psnrSr += ps / n;
        m.psnrBic += pb / n;
        m.ssimSr += ss / n;
        m.ssimBic += sb / n;
        m.sharpSr += sharpness(sr) / n;
        m.sharpBic += sharpness(bic) / n;
        m.sharpHr += sharpness(hr) / n;
    }
    std::printf("%-9s mean over %zu images: PSNR %.2f dB vs bicubic %.2f (%+.2f); SSIM %.4f vs %.4f (%+.4f); sharpness %.4f vs %.4f (original %.4f)\n",
                model.c_str(), m.images, m.psnrSr, m.psnrBic, m.psnrSr - m.psnrBic, m.ssimSr, m.ssimBic, m.ssimSr - m.ssimBic,
                m.sharpSr, m.sharpBic, m.sharpHr);
    return m;
}

} // namespace

TEST(ImageQuality, PsnrAndSsimBehave)
{
    const auto a = test::syntheticScene(64, 48, 9);
    EXPECT_TRUE(std::isinf(psnr(a, a)));
    EXPECT_NEAR(ssim(a, a), 1.0, 1e-9);
    auto b = a;
    for (std::size_t i = 0; i < b.data.size(); i += 2) b.data[i] = std::min(1.0f, b.data[i] + 0.1f);
    EXPECT_LT(psnr(a, b), 30.0);
    EXPECT_LT(ssim(a, b), 0.99);
    RgbPlanes flat(64, 48);
    auto offset = flat;
    for (auto& v : offset.data) v = 0.1f;
    EXPECT_NEAR(psnr(flat, offset), 20.0, 1e-4); // MSE 0.01
}

TEST(SuperResQuality, ShippedModelsStayCloseToBicubicAndX4IsSharper)
{
    for (const char* name : {"slim-x2", "slim-x4", "medium-x2", "medium-x4"}) {
        const Scores m = measure(name);
        EXPECT_GT(m.psnrSr, m.psnrBic - 1.5) << name;
        EXPECT_GT(m.ssimSr, m.ssimBic - 0.04) << name;
        if (std::string(name).find("x4") != std::string::npos) {
            EXPECT_GT(m.sharpSr, m.sharpBic * 1.03) << name; // closer to the original's detail than bicubic
            EXPECT_LT(m.sharpSr, m.sharpHr * 1.2) << name;   // ...without inventing noise
        }
    }
}

// Networks alone that beat bicubic in PSNR and SSIM (the x4 ones do not: see the header).
TEST(SuperResQuality, NetworkBeatsBicubicInPsnrAndSsim)
{
    for (const char* name : {"slim-x2", "medium-x2"}) {
        const Scores m = measure(name);
        EXPECT_GT(m.psnrSr, m.psnrBic) << name;
        EXPECT_GT(m.ssimSr, m.ssimBic) << name;
    }
}

// The requirement (super-resolution beats bicubic in PSNR and SSIM) for what the pipeline writes, every model.
TEST(SuperResQuality, PipelineOutputBeatsBicubicInPsnrAndSsim)
{
    const double blend = pipelineDetailBlend();
    ASSERT_GT(blend, 0.0);
    for (const char* name : {"slim-x2", "slim-x4", "medium-x2", "medium-x4"}) {
        std::printf("%s with detail_blend %.2f:\n", name, blend);
        const Scores m = measure(name, blend);
        EXPECT_GT(m.psnrSr, m.psnrBic) << name;
        EXPECT_GT(m.ssimSr, m.ssimBic) << name;
    }
}

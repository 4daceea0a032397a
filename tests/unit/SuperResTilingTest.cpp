// Super-resolution: the shipped TorchScript models load and upscale by their scale; tiled inference equals a
// single whole-image pass (no seams) for the real models and for a stand-in network; cancel between tiles.
#include "SuperResTestImages.h"
#include "strata/Error.h"
#include "strata/ModelLocator.h"
#include "strata/inference/SuperResolutionModel.h"
#include "strata/superres/TiledUpscaler.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

using namespace strata;
using namespace strata::superres;

namespace {

float maxAbsDiff(const RgbPlanes& a, const RgbPlanes& b)
{
    EXPECT_EQ(a.width, b.width);
    EXPECT_EQ(a.height, b.height);
    float d = 0.0f;
    for (std::size_t i = 0; i < std::min(a.data.size(), b.data.size()); ++i) {
        d = std::max(d, std::abs(a.data[i] - b.data[i]));
    }
    return d;
}

/// A stand-in network with receptive radius 2: a 5x5 box mean with zero padding (like a conv net), then nearest
/// upscaling. Tiling artefacts would show as differences near tile edges.
std::vector<float> boxNet(std::span<const float> in, int count, int w, int h, int s)
{
    std::vector<float> out(static_cast<std::size_t>(count) * 3 * w * s * h * s);
    for (int n = 0; n < count * 3; ++n) {
        const float* src = in.data() + static_cast<std::size_t>(n) * w * h;
        float* dst = out.data() + static_cast<std::size_t>(n) * w * s * h * s;
        for (int y = 0; y < h; ++y) {
            for (int x = 0; x < w; ++x) {
                float sum = 0.0f;
                for (int dy = -2; dy <= 2; ++dy) {
                    for (int dx = -2; dx <= 2; ++dx) {
                        const int yy = y + dy, xx = x + dx;
                        sum += yy >= 0 && yy < h && xx >= 0 && xx < w ? src[yy * w + xx] : 0.0f;
                    }
                }
                for (int a = 0; a < s; ++a) {
                    for (int b = 0; b < s; ++b) {
                        dst[static_cast<std::size_t>(y * s + a) * w * s + x * s + b] = sum / 25.0f;
                    }
                }
            }
        }
    }
    return out;
}

} // namespace

TEST(SuperResModel, ShippedModelsLoadAndUpscaleByTheirScale)
{
    const auto image = test::syntheticScene(23, 17, 1);
    for (const auto& [name, scale] : std::vector<std::pair<std::string, int>>{{"slim-x2", 2}, {"slim-x4", 4}, {"medium-x2", 2}, {"medium-x4", 4}}) {
        auto model = inference::SuperResolutionModel::load(findModelDir("sr/" + name), {"cpu"});
        EXPECT_EQ(model->scale(), scale) << name;
        EXPECT_EQ(model->card().task, "super-resolution");
        EXPECT_GE(model->receptiveRadius(), 5) << name;
        const auto out = model->upscale(image.data, 1, image.width, image.height, {});
        ASSERT_EQ(out.size(), image.data.size() * scale * scale) << name;
        EXPECT_TRUE(std::all_of(out.begin(), out.end(), [](float v) { return v >= 0.0f && v <= 1.0f; }));
    }
}

TEST(SuperResModel, WrongTaskOrInputSizeIsAClearError)
{
    EXPECT_THROW((void)inference::SuperResolutionModel::load(findModelDir("fashion"), {"cpu"}), IoError);
    auto model = inference::SuperResolutionModel::load(findModelDir("sr/slim-x2"), {"cpu"});
    std::vector<float> x(10);
    EXPECT_THROW((void)model->upscale(x, 1, 4, 4, {}), InvalidArgument);
}

TEST(TiledUpscaler, StandInNetworkTiledEqualsUntiledExactly)
{
    const auto image = test::syntheticScene(101, 67, 2);
    const UpscaleFn fn = [](std::span<const float> in, int n, int w, int h) { return boxNet(in, n, w, h, 3); };
    const TiledUpscaler whole(fn, 3, 2, {0, 0, 1});
    const TiledUpscaler tiled(fn, 3, 2, {24, 0, 3});
    EXPECT_EQ(tiled.effectiveOverlap(), 12);
    EXPECT_GT(tiled.starts(101).size(), 4u);
    const auto a = whole.upscale(image, {});
    const auto b = tiled.upscale(image, {});
    EXPECT_EQ(a.width, 303);
    EXPECT_EQ(a.height, 201);
    EXPECT_LT(maxAbsDiff(a, b), 1e-6f);
}

TEST(TiledUpscaler, RealModelsTiledEqualsUntiled)
{
    const auto image = test::syntheticScene(97, 61, 3);
    for (const char* name : {"slim-x4", "medium-x2"}) {
        auto model = inference::SuperResolutionModel::load(findModelDir(std::string("sr/") + name), {"cpu"});
        const TiledUpscaler whole(*model, {0, 0, 1}, {});
        const TiledUpscaler tiled(*model, {2 * model->receptiveRadius() + 20, 0, 2}, {});
        ASSERT_GT(tiled.starts(97).size() * tiled.starts(61).size(), 4u) << name;
        const auto a = whole.upscale(image, {});
        const auto b = tiled.upscale(image, {});
        const float d = maxAbsDiff(a, b);
        std::printf("%s: tiled (%zu tiles) vs untiled max |diff| %.3g\n", name, tiled.starts(97).size() * tiled.starts(61).size(), d);
        EXPECT_LT(d, 1e-4f) << name;
    }
}

TEST(TiledUpscaler, BatchesFramesAndTilesTogether)
{
    const UpscaleFn fn = [](std::span<const float> in, int n, int w, int h) { return boxNet(in, n, w, h, 2); };
    const TiledUpscaler one(fn, 2, 2, {30, 0, 1});
    const TiledUpscaler many(fn, 2, 2, {30, 0, 7});
    const std::vector<RgbPlanes> frames{test::syntheticScene(50, 40, 4), test::syntheticScene(50, 40, 5), test::syntheticScene(50, 40, 6)};
    const auto a = one.upscale(frames, {});
    const auto b = many.upscale(frames, {});
    ASSERT_EQ(a.size(), 3u);
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_LT(maxAbsDiff(a[i], b[i]), 1e-6f);
        EXPECT_LT(maxAbsDiff(a[i], one.upscale(frames[i], {})), 1e-6f);
    }
}

TEST(TiledUpscaler, ClearErrorsAndCancel)
{
    const UpscaleFn fn = [](std::span<const float> in, int n, int w, int h) { return boxNet(in, n, w, h, 2); };
    EXPECT_THROW(TiledUpscaler(fn, 2, 10, {20, 0, 1}), InvalidArgument); // tile 20 <= overlap 28
    const TiledUpscaler up(fn, 2, 2, {16, 0, 1});
    EXPECT_THROW((void)up.upscale(RgbPlanes(), {}), InvalidArgument);
    std::stop_source stop;
    int calls = 0;
    EXPECT_THROW((void)up.upscale(test::syntheticScene(80, 80, 7), stop.get_token(),
                            [&](double, const std::string&) {
                                if (++calls == 2) stop.request_stop();
                            }),
                 Cancelled);
    EXPECT_EQ(calls, 2);
}

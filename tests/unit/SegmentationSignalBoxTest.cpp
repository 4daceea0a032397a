// The knee network sees only the box of a volume that holds signal (SegmentationModel::segment): a phantom placed in
// a larger canvas of background (the fill outside an oblique scan's field of view, zero-filled scanner background)
// lost 0.17 of its mean Dice before, femur read into the tibia. Here with the committed model on CPU: the labels of a
// volume padded with its minimum are those of the volume alone, background outside, and a volume without such a
// border is not cropped.
#include "TestSupport.h"
#include "strata/ModelLocator.h"
#include "strata/inference/SegmentationModel.h"

#include <gtest/gtest.h>

#include <algorithm>

using namespace strata;

namespace {

/// `inner` (x fastest) placed at `at` in a volume of `size` filled with `fill`.
std::vector<float> placed(const std::vector<float>& inner, Size3 innerSize, Size3 size, Size3 at, float fill)
{
    std::vector<float> out(size[0] * size[1] * size[2], fill);
    for (std::size_t z = 0; z < innerSize[2]; ++z)
        for (std::size_t y = 0; y < innerSize[1]; ++y)
            std::copy_n(inner.begin() + static_cast<std::ptrdiff_t>((z * innerSize[1] + y) * innerSize[0]), innerSize[0],
                        out.begin() + static_cast<std::ptrdiff_t>(((z + at[2]) * size[1] + y + at[1]) * size[0] + at[0]));
    return out;
}

} // namespace

TEST(SegmentationSignalBox, APaddedVolumeGetsTheLabelsOfTheVolumeAlone)
{
    auto model = inference::SegmentationModel::load(findModelDir("knee"), {});
    // Noise at the model's spacing, normalised like the pipeline's input; its minimum is above the padding's.
    const Image noise = test::noiseVolume();
    const Size3 size = noise.size();
    std::vector<float> inner(noise.voxelCount());
    const auto px = noise.pixels<std::uint16_t>();
    for (std::size_t i = 0; i < inner.size(); ++i) inner[i] = static_cast<float>(px[i]) / 500.0f - 1.0f;
    const auto alone = model->segment(inner, size, {}, {});
    ASSERT_EQ(model->lastTiling().find("signal box"), std::string::npos) << model->lastTiling();

    const Size3 big{size[0] + 40, size[1] + 24, size[2] + 16}, at{13, 5, 9};
    const auto padded = model->segment(placed(inner, size, big, at, -3.0f), big, {}, {});
    EXPECT_NE(model->lastTiling().find("signal box 96 x 96 x 48"), std::string::npos) << model->lastTiling();
    std::vector<float> aloneAsFloat(alone.begin(), alone.end());
    const auto expected = placed(aloneAsFloat, size, big, at, 0.0f);
    std::size_t differ = 0;
    for (std::size_t i = 0; i < padded.size(); ++i) differ += padded[i] != static_cast<std::uint8_t>(expected[i]);
    EXPECT_EQ(differ, 0u);
    // Background counted outside the box for the confidence figures (probability 1).
    const auto& confidence = model->lastConfidence();
    std::uint64_t voxels = 0;
    for (const auto& c : confidence) voxels += c.voxels;
    EXPECT_EQ(voxels, padded.size());
}

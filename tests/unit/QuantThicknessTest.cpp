#include "common/ShellMask.h"
#include "strata/Error.h"
#include "strata/quant/Thickness.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <numeric>
#include <random>
#include <thread>

using namespace strata;

namespace {

/// The shell's centre is off the grid by a fraction of a voxel on every axis.
Image shellMask(double r0, double r1, Vec3 spacing)
{
    return test::shellMask(r0, r1, spacing, {0.13, -0.07, 0.21});
}

using test::meanInside;

/// A random blob: union of a few random balls (mm), on a small grid.
Image blobMask(Size3 size, Vec3 spacing, unsigned seed)
{
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    Image mask(size, PixelType::UInt8);
    mask.setSpacing(spacing);
    auto px = mask.pixels<std::uint8_t>();
    for (int b = 0; b < 5; ++b) {
        const double cx = u(rng) * static_cast<double>(size[0]) * spacing[0];
        const double cy = u(rng) * static_cast<double>(size[1]) * spacing[1];
        const double cz = u(rng) * static_cast<double>(size[2]) * spacing[2];
        const double r = 0.8 + 2.0 * u(rng);
        for (std::size_t k = 0; k < size[2]; ++k)
            for (std::size_t j = 0; j < size[1]; ++j)
                for (std::size_t i = 0; i < size[0]; ++i) {
                    const double dx = static_cast<double>(i) * spacing[0] - cx, dy = static_cast<double>(j) * spacing[1] - cy,
                                 dz = static_cast<double>(k) * spacing[2] - cz;
                    if (dx * dx + dy * dy + dz * dz < r * r) px[mask.linearIndex(i, j, k)] = 1;
                }
    }
    return mask;
}

} // namespace

TEST(QuantThickness, SphericalShellOnAnisotropicGrid)
{
    for (const double r0 : {8.0, 12.0}) {
        const Image mask = shellMask(r0, r0 + 2.0, {0.4, 0.4, 0.7});
        const Image t = quant::localThickness(mask);
        ASSERT_EQ(t.pixelType(), PixelType::Float32);
        const double mean = meanInside(t, mask);
        std::printf("shell r0=%.1f: mean local thickness %.4f mm (true 2.0)\n", r0, mean);
        // Known discretisation bias of max-of-containing-spheres on staircase surfaces: about +0.17 mm at
        // 0.4x0.4x0.7 mm (+0.11 at 0.4 iso, +0.01 at 0.2 iso); the acceptance bound is 0.2 mm.
        EXPECT_NEAR(mean, 2.0, 0.2);
    }
}

TEST(QuantThickness, SupersamplingRemovesMostOfTheStaircaseBias)
{
    const Image mask = shellMask(8.0, 10.0, {0.4, 0.4, 0.7});
    const double onGrid = meanInside(quant::localThickness(mask), mask);
    quant::LocalThicknessOptions fine;
    fine.maxSubvoxelMm = 0.25;
    const double supersampled = meanInside(quant::localThickness(mask, fine), mask);
    std::printf("shell r0=8: mean local thickness %.4f on the grid, %.4f on 0.25 mm sub-voxels (true 2.0)\n", onGrid,
                supersampled);
    EXPECT_GT(onGrid, 2.1);
    EXPECT_NEAR(supersampled, 2.0, 0.06);
}

TEST(QuantThickness, ZeroOutsideStructure)
{
    // Also with supersampling: a voxel whose sub-voxels all fall outside the smoothed surface (a lone voxel, a
    // one-voxel rod's end) keeps its value on the grid.
    Image mask = shellMask(5.0, 7.0, {0.5, 0.5, 0.8});
    mask.pixels<std::uint8_t>()[mask.linearIndex(2, 2, 2)] = 1; // a lone voxel in a corner
    for (const double sub : {0.0, 0.25}) {
        quant::LocalThicknessOptions options;
        options.maxSubvoxelMm = sub;
        const Image t = quant::localThickness(mask, options);
        const auto tp = t.pixels<float>();
        const auto mp = mask.pixels<std::uint8_t>();
        for (std::size_t i = 0; i < tp.size(); ++i) {
            if (!mp[i]) ASSERT_EQ(tp[i], 0.0f) << sub;
            else ASSERT_GT(tp[i], 0.0f) << sub;
        }
        EXPECT_NEAR(t.valueAt(2, 2, 2), 0.5, 1e-5) << sub; // the lone voxel: one grid step across
    }
}

TEST(QuantThickness, FastMatchesBruteForceReference)
{
    // Incommensurate spacings: no two different offsets have the same length, so the nearest background
    // voxel is unique whichever way it is found, and both implementations must agree exactly.
    for (unsigned seed : {1u, 2u, 3u}) {
        const Image mask = blobMask({22, 20, 14}, {0.41, 0.47, 0.73}, seed);
        const Image fast = quant::localThickness(mask);
        const Image ref = quant::localThicknessReference(mask);
        const auto a = fast.pixels<float>();
        const auto b = ref.pixels<float>();
        std::size_t nonZero = 0;
        for (std::size_t i = 0; i < a.size(); ++i) {
            ASSERT_NEAR(a[i], b[i], 1e-5) << "voxel " << i << " seed " << seed;
            nonZero += a[i] > 0 ? 1 : 0;
        }
        EXPECT_GT(nonZero, 100u);
    }
}

TEST(QuantThickness, ThreadsDoNotChangeTheResult)
{
    const Image mask = shellMask(8.0, 10.0, {0.4, 0.4, 0.7});
    quant::LocalThicknessOptions one, several;
    one.threads = 1;
    several.threads = 5; // bands of uneven height, balls crossing every band edge
    for (const double sub : {0.0, 0.25}) {
        one.maxSubvoxelMm = several.maxSubvoxelMm = sub;
        const Image a = quant::localThickness(mask, one), b = quant::localThickness(mask, several);
        const auto pa = a.pixels<float>(), pb = b.pixels<float>();
        ASSERT_EQ(pa.size(), pb.size());
        std::size_t differ = 0;
        for (std::size_t i = 0; i < pa.size(); ++i) differ += pa[i] != pb[i];
        EXPECT_EQ(differ, 0u) << sub;
    }
}

TEST(QuantThickness, SlabThicknessIsExactOnAverage)
{
    // Slabs of 2.0 mm along the 0.7 mm axis at many sub-voxel offsets: 2 or 3 voxels thick. Away from the
    // slab's rim the estimate equals the voxelised thickness, whose average over offsets is the true one.
    // Supersampled (0.25 mm: 2 x 2 x 3 sub-voxels) the smoothed surface runs along the voxel faces: the same values.
    const Vec3 spacing{0.4, 0.4, 0.7};
    for (const double sub : {0.0, 0.25}) {
        quant::LocalThicknessOptions options;
        options.maxSubvoxelMm = sub;
        double sum = 0;
        const int offsets = 20;
        for (int s = 0; s < offsets; ++s) {
            Image mask({40, 40, 10}, PixelType::UInt8);
            mask.setSpacing(spacing);
            auto px = mask.pixels<std::uint8_t>();
            const double z0 = 1.0 + 0.7 * s / offsets;
            for (std::size_t k = 0; k < 10; ++k) {
                const double z = static_cast<double>(k) * spacing[2];
                for (std::size_t j = 0; j < 40; ++j)
                    for (std::size_t i = 0; i < 40; ++i) px[mask.linearIndex(i, j, k)] = z >= z0 && z < z0 + 2.0 ? 1 : 0;
            }
            const Image t = quant::localThickness(mask, options);
            std::size_t voxels = 0;
            for (std::size_t k = 0; k < 10; ++k) voxels += px[mask.linearIndex(20, 20, k)];
            EXPECT_NEAR(t.valueAt(20, 20, static_cast<std::size_t>(z0 / 0.7) + 1), 0.7 * static_cast<double>(voxels), 1e-5) << sub;
            sum += 0.7 * static_cast<double>(voxels);
        }
        EXPECT_NEAR(sum / offsets, 2.0, 0.04);
    }
}

TEST(QuantThickness, CancelsWithinOneSecond)
{
    // A big solid block: the sphere painting alone takes many seconds.
    Image mask({220, 220, 160}, PixelType::UInt8);
    mask.setSpacing({0.4, 0.4, 0.7});
    auto px = mask.pixels<std::uint8_t>();
    std::fill(px.begin(), px.end(), std::uint8_t{1});
    std::atomic<bool> cancelled{false};
    std::chrono::steady_clock::time_point stoppedAt;
    std::chrono::steady_clock::time_point endedAt;
    {
        std::jthread worker([&](std::stop_token stop) {
            try {
                (void)quant::localThickness(mask, {}, stop);
            } catch (const Cancelled&) {
                cancelled = true;
            }
            endedAt = std::chrono::steady_clock::now();
        });
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        stoppedAt = std::chrono::steady_clock::now();
        worker.request_stop();
    }
    EXPECT_TRUE(cancelled.load());
    EXPECT_LT(std::chrono::duration<double>(endedAt - stoppedAt).count(), 1.0);
}

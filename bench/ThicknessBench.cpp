// Local thickness: fast (EDT + ridge sphere painting) vs the brute-force reference, same volume, same run.
#include "strata/core/quant/Thickness.h"

#include <benchmark/benchmark.h>

#include <chrono>
#include <cmath>
#include <cstdio>

using namespace strata;

namespace {

Image shell(double r0, double r1, Vec3 spacing)
{
    const double extent = 2.0 * r1 + 2.0;
    Size3 size{};
    for (std::size_t a = 0; a < 3; ++a) size[a] = static_cast<std::size_t>(std::ceil(extent / spacing[a]));
    Image mask(size, PixelType::UInt8);
    mask.setSpacing(spacing);
    auto px = mask.pixels<std::uint8_t>();
    for (std::size_t k = 0; k < size[2]; ++k)
        for (std::size_t j = 0; j < size[1]; ++j)
            for (std::size_t i = 0; i < size[0]; ++i) {
                const double x = (static_cast<double>(i) + 0.5) * spacing[0] - 0.5 * extent;
                const double y = (static_cast<double>(j) + 0.5) * spacing[1] - 0.5 * extent;
                const double z = (static_cast<double>(k) + 0.5) * spacing[2] - 0.5 * extent;
                const double r = std::sqrt(x * x + y * y + z * z);
                px[mask.linearIndex(i, j, k)] = r >= r0 && r < r1 ? 1 : 0;
            }
    return mask;
}

const Image& smallShell()
{
    static const Image mask = shell(3.0, 5.0, {0.4, 0.4, 0.7});
    return mask;
}

void BM_LocalThicknessFast(benchmark::State& state)
{
    for (auto _ : state) benchmark::DoNotOptimize(quant::localThickness(smallShell()));
}
BENCHMARK(BM_LocalThicknessFast)->Unit(benchmark::kMillisecond);

void BM_LocalThicknessReference(benchmark::State& state)
{
    for (auto _ : state) benchmark::DoNotOptimize(quant::localThicknessReference(smallShell()));
}
BENCHMARK(BM_LocalThicknessReference)->Unit(benchmark::kMillisecond)->Iterations(2);

/// Prints the speed ratio measured in this run (best of a few, same volume).
void BM_LocalThicknessSpeedRatio(benchmark::State& state)
{
    const auto best = [](auto&& fn, int runs) {
        double b = 1e30;
        for (int i = 0; i < runs; ++i) {
            const auto t0 = std::chrono::steady_clock::now();
            benchmark::DoNotOptimize(fn());
            b = std::min(b, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
        }
        return b;
    };
    for (auto _ : state) {
        const double fast = best([] { return quant::localThickness(smallShell()); }, 10);
        const double ref = best([] { return quant::localThicknessReference(smallShell()); }, 2);
        state.counters["fast_ms"] = fast * 1e3;
        state.counters["reference_ms"] = ref * 1e3;
        state.counters["speedup"] = ref / fast;
        std::printf("local thickness on %zux%zux%zu shell: fast %.2f ms, reference %.1f ms, speed ratio %.0fx\n",
                    smallShell().size()[0], smallShell().size()[1], smallShell().size()[2], fast * 1e3, ref * 1e3, ref / fast);
    }
}
BENCHMARK(BM_LocalThicknessSpeedRatio)->Iterations(1)->Unit(benchmark::kMillisecond);

} // namespace

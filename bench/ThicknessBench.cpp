// Local thickness: fast (EDT + ridge sphere painting) vs the brute-force reference, same volume, same run.
#include "common/ShellMask.h"
#include "strata/quant/Thickness.h"

#include <benchmark/benchmark.h>

#include <chrono>
#include <cmath>
#include <cstdio>

using namespace strata;

namespace {

const Image& smallShell()
{
    static const Image mask = test::shellMask(3.0, 5.0, {0.4, 0.4, 0.7});
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

/// Cost and accuracy of supersampling (the knee pipeline's 0.25 mm sub-voxels) against the grid, same run: a 2 mm
/// shell of radius 8 mm at 0.4 x 0.4 x 0.7 mm.
void BM_LocalThicknessSupersampledRatio(benchmark::State& state)
{
    const Image mask = test::shellMask(8.0, 10.0, {0.4, 0.4, 0.7}, {0.13, -0.07, 0.21});
    const auto mean = [&mask](const Image& t) { return test::meanInside(t, mask); };
    quant::LocalThicknessOptions fine;
    fine.maxSubvoxelMm = 0.25;
    for (auto _ : state) {
        auto t0 = std::chrono::steady_clock::now();
        const Image grid = quant::localThickness(mask);
        const double gridS = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        t0 = std::chrono::steady_clock::now();
        const Image sub = quant::localThickness(mask, fine);
        const double subS = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        quant::LocalThicknessOptions oneThread = fine;
        oneThread.threads = 1;
        t0 = std::chrono::steady_clock::now();
        benchmark::DoNotOptimize(quant::localThickness(mask, oneThread));
        const double oneS = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        state.counters["time_ratio"] = subS / gridS;
        std::printf("2 mm shell: grid %.1f ms (mean %.3f mm), 0.25 mm sub-voxels %.1f ms (mean %.3f mm), time ratio %.1fx; "
                    "sub-voxels on one thread %.1f ms (%.2fx the all-core time)\n",
                    gridS * 1e3, mean(grid), subS * 1e3, mean(sub), subS / gridS, oneS * 1e3, oneS / subS);
    }
}
BENCHMARK(BM_LocalThicknessSupersampledRatio)->Iterations(1)->Unit(benchmark::kMillisecond);

} // namespace

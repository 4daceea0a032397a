// Local thickness: fast (EDT + ridge sphere painting) vs the brute-force reference, same volume, same run.
#include "common/ShellMask.h"
#include "strata/core/quant/Thickness.h"

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

} // namespace

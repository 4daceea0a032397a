#include "strata/quant/ThicknessStats.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace strata::quant {
namespace {

double quantile(const std::vector<float>& sorted, double q)
{
    if (sorted.empty()) return 0.0;
    const double pos = q * static_cast<double>(sorted.size() - 1);
    const auto i = static_cast<std::size_t>(pos);
    const double f = pos - static_cast<double>(i);
    if (i + 1 >= sorted.size()) return sorted.back();
    return sorted[i] * (1.0 - f) + sorted[i + 1] * f;
}

} // namespace

ThicknessStats thicknessStats(std::vector<float> values)
{
    ThicknessStats s;
    if (values.empty()) return s;
    std::sort(values.begin(), values.end());
    s.voxels = values.size();
    const double n = static_cast<double>(values.size());
    const double sum = std::accumulate(values.begin(), values.end(), 0.0);
    s.mean = sum / n;
    double ss = 0;
    for (float v : values) ss += (v - s.mean) * (v - s.mean);
    s.sd = values.size() > 1 ? std::sqrt(ss / (n - 1.0)) : 0.0;
    double inv = 0;
    for (float v : values) inv += 1.0 / v;
    s.areaWeightedMean = n / inv;
    s.median = quantile(values, 0.5);
    s.p5 = quantile(values, 0.05);
    s.p95 = quantile(values, 0.95);
    s.min = values.front();
    s.max = values.back();
    return s;
}

nlohmann::json toJson(const ThicknessStats& s)
{
    return {{"voxels", s.voxels}, {"mean", s.mean}, {"sd", s.sd},   {"median", s.median},
            {"p5", s.p5},         {"p95", s.p95},   {"min", s.min}, {"max", s.max},
            {"area_weighted_mean", s.areaWeightedMean}};
}

} // namespace strata::quant

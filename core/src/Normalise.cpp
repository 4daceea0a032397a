#include "strata/Normalise.h"

#include "strata/Error.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace strata {

namespace {

std::vector<float> asFloats(const Image& image)
{
    if (image.components() != 1) {
        throw InvalidArgument("Normalisation needs a single-component image.");
    }
    std::vector<float> v(image.voxelCount());
    dispatchPixelType(image.pixelType(), [&](auto tag) {
        using T = decltype(tag);
        const auto px = image.pixels<T>();
        std::transform(px.begin(), px.end(), v.begin(), [](T x) { return static_cast<float>(x); });
    });
    return v;
}

double percentileOfCopy(std::vector<float> values, double p)
{
    if (values.empty()) {
        return 0.0;
    }
    const double pos = std::clamp(p, 0.0, 100.0) / 100.0 * static_cast<double>(values.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(pos));
    const double frac = pos - static_cast<double>(lo);
    std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(lo), values.end());
    const double a = values[lo];
    if (frac == 0.0 || lo + 1 >= values.size()) {
        return a;
    }
    const double b = *std::min_element(values.begin() + static_cast<std::ptrdiff_t>(lo) + 1, values.end());
    return a + (b - a) * frac;
}

} // namespace

double exactPercentile(const Image& image, double p)
{
    return percentileOfCopy(asFloats(image), p);
}

Image clipAndZScore(const Image& image, double lowPercentile, double highPercentile)
{
    std::vector<float> v = asFloats(image);
    const double lo = percentileOfCopy(v, lowPercentile);
    const double hi = percentileOfCopy(v, highPercentile);
    double sum = 0.0;
    for (float& x : v) {
        x = static_cast<float>(std::clamp(static_cast<double>(x), lo, hi));
        sum += x;
    }
    const double mean = sum / static_cast<double>(v.size());
    double sq = 0.0;
    for (float x : v) {
        sq += (x - mean) * (x - mean);
    }
    const double sd = std::max(std::sqrt(sq / static_cast<double>(v.size())), 1e-6);
    Image out(image.size(), PixelType::Float32, 1);
    out.copyGeometryFrom(image);
    auto dst = out.pixels<float>();
    for (std::size_t i = 0; i < v.size(); ++i) {
        dst[i] = static_cast<float>((v[i] - mean) / sd);
    }
    return out;
}

} // namespace strata

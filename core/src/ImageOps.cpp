#include "strata/ImageOps.h"

#include "strata/Error.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

namespace strata {

Image extractSlice(const Image& image, std::size_t k)
{
    if (k >= image.size()[2]) {
        throw InvalidArgument("Slice " + std::to_string(k) + " is outside 0.." + std::to_string(image.size()[2] - 1) + ".");
    }
    Image out({image.size()[0], image.size()[1], 1}, image.pixelType(), image.components());
    out.copyGeometryFrom(image);
    out.setOrigin(image.indexToWorld({0, 0, static_cast<double>(k)}));
    const std::size_t sliceBytes = out.byteCount();
    std::memcpy(out.data(), image.data() + k * sliceBytes, sliceBytes);
    return out;
}

namespace {

std::vector<double> sampleValues(const Image& image)
{
    const std::size_t n = image.voxelCount() * static_cast<std::size_t>(image.components());
    const std::size_t step = std::max<std::size_t>(1, n / (1u << 20));
    std::vector<double> values;
    values.reserve(n / step + 1);
    dispatchPixelType(image.pixelType(), [&](auto tag) {
        using T = decltype(tag);
        const auto px = image.pixels<T>();
        for (std::size_t i = 0; i < n; i += step) {
            values.push_back(static_cast<double>(px[i]));
        }
    });
    return values;
}

double percentileOf(std::vector<double>& values, double p)
{
    if (values.empty()) {
        return 0.0;
    }
    const double pos = std::clamp(p, 0.0, 100.0) / 100.0 * static_cast<double>(values.size() - 1);
    const auto idx = static_cast<std::size_t>(pos);
    std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(idx), values.end());
    return values[idx];
}

} // namespace

double percentile(const Image& image, double p)
{
    auto values = sampleValues(image);
    return percentileOf(values, p);
}

Image rescaleToUInt8(const Image& image, double lowPercentile, double highPercentile)
{
    auto values = sampleValues(image);
    const double lo = percentileOf(values, lowPercentile);
    double hi = percentileOf(values, highPercentile);
    if (hi <= lo) {
        hi = lo + 1.0;
    }
    Image out(image.size(), PixelType::UInt8, image.components());
    out.copyGeometryFrom(image);
    auto dst = out.pixels<std::uint8_t>();
    dispatchPixelType(image.pixelType(), [&](auto tag) {
        using T = decltype(tag);
        const auto src = image.pixels<T>();
        const double scale = 255.0 / (hi - lo);
        for (std::size_t i = 0; i < src.size(); ++i) {
            dst[i] = static_cast<std::uint8_t>(std::clamp(std::lround((static_cast<double>(src[i]) - lo) * scale), 0L, 255L));
        }
    });
    return out;
}

} // namespace strata

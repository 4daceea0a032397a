#include "strata/quant/FluidBoundaryRefine.h"

#include "strata/Error.h"
#include "strata/Progress.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <utility>

namespace strata::quant {
namespace {

using Dims = std::array<long, 3>;

/// In place: each value becomes the sum over the box of +-radius[axis] around it (clipped at the border).
/// x: prefix sums along each row; y and z: running sums of whole rows / slices (contiguous memory, no strides).
void boxSum(std::vector<float>& v, const Dims& n, const Dims& radius, std::stop_token stop)
{
    std::vector<double> prefix(static_cast<std::size_t>(n[0]) + 1);
    for (long row = 0; row < n[1] * n[2]; ++row) {
        float* line = v.data() + row * n[0];
        for (long t = 0; t < n[0]; ++t)
            prefix[static_cast<std::size_t>(t) + 1] = prefix[static_cast<std::size_t>(t)] + line[t];
        for (long t = 0; t < n[0]; ++t) {
            const long lo = std::max(0L, t - radius[0]), hi = std::min(n[0], t + radius[0] + 1);
            line[t] = static_cast<float>(prefix[static_cast<std::size_t>(hi)] - prefix[static_cast<std::size_t>(lo)]);
        }
    }
    std::vector<double> acc;
    for (int axis = 1; axis < 3; ++axis) {
        throwIfStopped(stop);
        const std::vector<float> in = v; // the previous axes' result
        const long block = axis == 1 ? n[0] : n[0] * n[1]; // one "row" of this axis
        const long len = n[axis], r = radius[static_cast<std::size_t>(axis)];
        const long outer = static_cast<long>(v.size()) / (block * len);
        acc.assign(static_cast<std::size_t>(block), 0.0);
        for (long b = 0; b < outer; ++b) {
            const long base = b * block * len;
            std::fill(acc.begin(), acc.end(), 0.0);
            const auto addRow = [&](long t, double sign) {
                const float* row = in.data() + base + t * block;
                for (long i = 0; i < block; ++i) acc[static_cast<std::size_t>(i)] += sign * row[i];
            };
            for (long t = 0; t < std::min(r, len); ++t) addRow(t, 1.0);
            for (long t = 0; t < len; ++t) {
                if (t + r < len) addRow(t + r, 1.0);
                if (t - r - 1 >= 0) addRow(t - r - 1, -1.0);
                float* out = v.data() + base + t * block;
                for (long i = 0; i < block; ++i) out[i] = static_cast<float>(acc[static_cast<std::size_t>(i)]);
            }
        }
    }
}

/// Calls f(neighbourIndex) for the 6 face neighbours of (x, y, z) inside the volume.
template <typename F> void forFaceNeighbours(long x, long y, long z, const Dims& n, F&& f)
{
    const long i = x + n[0] * (y + n[1] * z);
    if (x > 0) f(i - 1);
    if (x + 1 < n[0]) f(i + 1);
    if (y > 0) f(i - n[0]);
    if (y + 1 < n[1]) f(i + n[0]);
    if (z > 0) f(i - n[0] * n[1]);
    if (z + 1 < n[2]) f(i + n[0] * n[1]);
}

double median(std::vector<float> values)
{
    const auto mid = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
    std::nth_element(values.begin(), mid, values.end());
    return *mid;
}

/// Background voxels with 1 <= q <= ceiling between cartilage and fluid (background with q > fluidAbove) join the
/// plate they touch most (lowest label on a tie); returns how many. All decided before any is relabelled.
std::size_t growTowardsFluid(std::span<std::uint8_t> px, const std::vector<float>& q, const std::array<bool, 256>& isCartilage,
                             const Dims& n, double ceiling, double fluidAbove, std::stop_token stop)
{
    std::vector<std::pair<std::size_t, std::uint8_t>> grow;
    for (long z = 0; z < n[2]; ++z) {
        throwIfStopped(stop);
        for (long y = 0; y < n[1]; ++y)
            for (long x = 0; x < n[0]; ++x) {
                const std::size_t i = static_cast<std::size_t>(x + n[0] * (y + n[1] * z));
                if (px[i] != 0 || !std::isfinite(q[i]) || q[i] < 1.0f || q[i] > ceiling) continue;
                std::array<int, 256> votes{};
                bool touchesFluid = false;
                int best = 0;
                forFaceNeighbours(x, y, z, n, [&](long j) {
                    const auto u = static_cast<std::size_t>(j);
                    if (isCartilage[px[u]]) {
                        const int id = px[u];
                        if (++votes[static_cast<std::size_t>(id)] > votes[static_cast<std::size_t>(best)] ||
                            (votes[static_cast<std::size_t>(id)] == votes[static_cast<std::size_t>(best)] && id < best))
                            best = id;
                    } else if (px[u] == 0 && std::isfinite(q[u]) && q[u] > fluidAbove) {
                        touchesFluid = true;
                    }
                });
                if (best != 0 && touchesFluid) grow.emplace_back(i, static_cast<std::uint8_t>(best));
            }
    }
    for (const auto& [i, id] : grow) px[i] = id;
    return grow.size();
}

} // namespace

FluidBoundaryReport refineFluidBoundary(LabelMap& labels, const Image& intensity, const FluidBoundaryOptions& options,
                                        std::stop_token stop)
{
    FluidBoundaryReport report;
    Image& image = labels.image();
    if (image.pixelType() != PixelType::UInt8) throw InvalidArgument("refineFluidBoundary needs a uint8 label map.");
    if (intensity.size() != image.size() || intensity.components() != 1)
        throw InvalidArgument("refineFluidBoundary: the scan and the label map must have the same size (one component).");
    const Dims n{static_cast<long>(image.size()[0]), static_cast<long>(image.size()[1]), static_cast<long>(image.size()[2])};
    const std::size_t count = image.voxelCount();
    auto px = image.pixels<std::uint8_t>();
    std::array<bool, 256> isCartilage{};
    for (int id : options.cartilageLabels)
        if (id > 0 && id < 256) isCartilage[static_cast<std::size_t>(id)] = true;

    // Interior cartilage: cartilage whose 6 neighbours are all cartilage (voxels outside the image are not).
    std::vector<std::uint8_t> interior(count, 0);
    std::size_t interiorCount = 0;
    for (long z = 0; z < n[2]; ++z)
        for (long y = 0; y < n[1]; ++y)
            for (long x = 0; x < n[0]; ++x) {
                const std::size_t i = static_cast<std::size_t>(x + n[0] * (y + n[1] * z));
                if (!isCartilage[px[i]]) continue;
                int inside = 0;
                forFaceNeighbours(x, y, z, n, [&](long j) { inside += isCartilage[px[static_cast<std::size_t>(j)]]; });
                if (inside == 6) {
                    interior[i] = 1;
                    ++interiorCount;
                }
            }
    if (interiorCount < options.minInteriorVoxels) {
        report.skippedReason = "too little cartilage";
        return report;
    }

    // Local mean of interior cartilage intensity -> q = intensity / local mean (NaN where none is near).
    const Image scan = intensity.pixelType() == PixelType::Float32 ? intensity : intensity.convertedTo(PixelType::Float32);
    const auto I = scan.pixels<float>();
    std::vector<float> sum(count), num(count);
    for (std::size_t i = 0; i < count; ++i) {
        sum[i] = interior[i] ? I[i] : 0.0f;
        num[i] = static_cast<float>(interior[i]);
    }
    Dims radius{};
    for (int a = 0; a < 3; ++a)
        radius[static_cast<std::size_t>(a)] = std::max(1L, std::lround(options.windowRadiusMm / image.spacing()[static_cast<std::size_t>(a)]));
    boxSum(sum, n, radius, stop);
    boxSum(num, n, radius, stop);
    std::vector<float>& q = sum; // reuse: relative intensity
    const float nan = std::numeric_limits<float>::quiet_NaN();
    for (std::size_t i = 0; i < count; ++i)
        q[i] = num[i] > static_cast<float>(options.minInteriorVoxels) && sum[i] > 0.0f ? I[i] / (sum[i] / num[i]) : nan;
    num.clear();
    num.shrink_to_fit();

    std::vector<float> interiorQ;
    interiorQ.reserve(interiorCount);
    for (std::size_t i = 0; i < count; ++i)
        if (interior[i] && std::isfinite(q[i])) interiorQ.push_back(q[i]);
    if (interiorQ.size() < options.minInteriorVoxels) {
        report.skippedReason = "too little cartilage";
        return report;
    }
    const double med = median(interiorQ);
    for (float& v : interiorQ) v = static_cast<float>(std::abs(v - med));
    report.cartilageSigma = 1.4826 * median(std::move(interiorQ));
    throwIfStopped(stop);

    // Fluid samples: background within two face steps of cartilage, clearly brighter than cartilage.
    std::vector<std::uint8_t>& dist = interior; // reuse: 1 = cartilage, 2/3 = one/two steps away
    for (std::size_t i = 0; i < count; ++i) dist[i] = isCartilage[px[i]] ? 1 : 0;
    for (std::uint8_t step = 2; step <= 3; ++step)
        for (long z = 0; z < n[2]; ++z)
            for (long y = 0; y < n[1]; ++y)
                for (long x = 0; x < n[0]; ++x) {
                    const std::size_t i = static_cast<std::size_t>(x + n[0] * (y + n[1] * z));
                    if (dist[i]) continue;
                    bool touches = false;
                    forFaceNeighbours(x, y, z, n, [&](long j) { touches |= dist[static_cast<std::size_t>(j)] == step - 1; });
                    if (touches) dist[i] = step;
                }
    const double fluidFloor = 1.0 + options.fluidK * report.cartilageSigma;
    std::vector<float> fluidQ;
    for (std::size_t i = 0; i < count; ++i)
        if (dist[i] >= 2 && px[i] == 0 && std::isfinite(q[i]) && q[i] > fluidFloor) fluidQ.push_back(q[i]);
    report.fluidSamples = fluidQ.size();
    if (fluidQ.size() < options.minFluidSamples) {
        report.skippedReason = "no bright fluid next to the cartilage";
        return report;
    }
    report.fluidRatio = median(std::move(fluidQ));
    report.threshold = std::max(0.5 * (1.0 + report.fluidRatio), 1.0 + options.noiseK * report.cartilageSigma);
    report.applied = true;

    std::vector<std::size_t> peel;
    for (int pass = 0; pass < options.passes; ++pass) {
        throwIfStopped(stop);
        peel.clear();
        for (long z = 0; z < n[2]; ++z)
            for (long y = 0; y < n[1]; ++y)
                for (long x = 0; x < n[0]; ++x) {
                    const std::size_t i = static_cast<std::size_t>(x + n[0] * (y + n[1] * z));
                    if (!isCartilage[px[i]] || !std::isfinite(q[i]) || q[i] <= report.threshold) continue;
                    bool onBackground = false;
                    forFaceNeighbours(x, y, z, n, [&](long j) { onBackground |= px[static_cast<std::size_t>(j)] == 0; });
                    if (onBackground) peel.push_back(i);
                }
        for (std::size_t i : peel) px[i] = 0;
        report.voxelsRemoved += peel.size();
        if (peel.empty()) break;
    }
    // Grow below the midpoint and at least noiseK sigma below the fluid (a noisy fluid voxel is rarely that dark).
    report.growCeiling = std::min(0.5 * (1.0 + report.fluidRatio), report.fluidRatio - options.noiseK * report.cartilageSigma);
    if (options.growTowardsFluid && report.growCeiling > 1.0) {
        report.grown = true;
        report.voxelsAdded = growTowardsFluid(px, q, isCartilage, n, report.growCeiling, report.threshold, stop);
    }
    return report;
}

} // namespace strata::quant

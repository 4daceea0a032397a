#include "phantom/GaussianBlur.h"

#include "ParallelFor.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace strata::phantom {
namespace {

std::vector<float> gaussianKernel(double sigma)
{
    const int radius = std::max(1, static_cast<int>(std::ceil(3.0 * sigma)));
    std::vector<double> weights(static_cast<std::size_t>(2 * radius + 1));
    double sum = 0;
    for (int i = -radius; i <= radius; ++i) {
        const double w = std::exp(-0.5 * (i * i) / (sigma * sigma));
        weights[static_cast<std::size_t>(i + radius)] = w;
        sum += w;
    }
    std::vector<float> kernel(weights.size());
    for (std::size_t i = 0; i < weights.size(); ++i) kernel[i] = static_cast<float>(weights[i] / sum);
    return kernel;
}

/// Convolves one line (n values, `stride` apart starting at `first`) using `line` as scratch.
void blurLine(float* first, std::size_t n, std::size_t stride, const std::vector<float>& kernel,
              std::vector<float>& line)
{
    const auto radius = static_cast<std::ptrdiff_t>(kernel.size() / 2);
    const auto count = static_cast<std::ptrdiff_t>(n);
    line.resize(n + 2 * kernel.size());
    // Padded copy with clamped borders: line[radius + i] = value i.
    for (std::ptrdiff_t i = -radius; i < count + radius; ++i) {
        const std::ptrdiff_t src = std::clamp<std::ptrdiff_t>(i, 0, count - 1);
        line[static_cast<std::size_t>(i + radius)] = first[static_cast<std::size_t>(src) * stride];
    }
    for (std::ptrdiff_t i = 0; i < count; ++i) {
        const float* window = line.data() + i;
        float acc = 0.0f;
        for (std::size_t k = 0; k < kernel.size(); ++k) acc += kernel[k] * window[k];
        first[static_cast<std::size_t>(i) * stride] = acc;
    }
}

} // namespace

void gaussianBlur3d(std::span<float> volume, const std::array<std::size_t, 3>& size,
                    const std::array<double, 3>& sigmaVoxels, unsigned threads)
{
    const std::size_t nx = size[0], ny = size[1], nz = size[2];
    if (volume.size() != nx * ny * nz || volume.empty()) return;
    float* data = volume.data();

    if (sigmaVoxels[0] >= 0.05 && nx > 1) {
        const auto kernel = gaussianKernel(sigmaVoxels[0]);
        parallelFor(nz, threads, [&](std::size_t z) {
            std::vector<float> line;
            for (std::size_t y = 0; y < ny; ++y) blurLine(data + nx * (y + ny * z), nx, 1, kernel, line);
        });
    }
    // The y and z passes convolve whole x rows at once, which keeps memory access contiguous.
    const auto blurRows = [nx](float* base, std::size_t n, std::size_t stride, const std::vector<float>& kernel,
                               std::vector<float>& copy) {
        const auto radius = static_cast<std::ptrdiff_t>(kernel.size() / 2);
        const auto count = static_cast<std::ptrdiff_t>(n);
        copy.resize(n * nx);
        for (std::size_t r = 0; r < n; ++r)
            std::copy_n(base + r * stride, nx, copy.data() + r * nx);
        for (std::ptrdiff_t r = 0; r < count; ++r) {
            float* out = base + static_cast<std::size_t>(r) * stride;
            std::fill_n(out, nx, 0.0f);
            for (std::ptrdiff_t t = -radius; t <= radius; ++t) {
                const auto src = static_cast<std::size_t>(std::clamp<std::ptrdiff_t>(r + t, 0, count - 1));
                const float w = kernel[static_cast<std::size_t>(t + radius)];
                const float* in = copy.data() + src * nx;
                for (std::size_t x = 0; x < nx; ++x) out[x] += w * in[x];
            }
        }
    };
    if (sigmaVoxels[1] >= 0.05 && ny > 1) {
        const auto kernel = gaussianKernel(sigmaVoxels[1]);
        parallelFor(nz, threads, [&](std::size_t z) {
            std::vector<float> copy;
            blurRows(data + nx * ny * z, ny, nx, kernel, copy);
        });
    }
    if (sigmaVoxels[2] >= 0.05 && nz > 1) {
        const auto kernel = gaussianKernel(sigmaVoxels[2]);
        parallelFor(ny, threads, [&](std::size_t y) {
            std::vector<float> copy;
            blurRows(data + nx * y, nz, nx * ny, kernel, copy);
        });
    }
}

} // namespace strata::phantom

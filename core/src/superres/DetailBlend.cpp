#include "strata/superres/DetailBlend.h"

#include "ParallelFor.h"
#include "strata/Error.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

namespace strata::superres {

namespace {

/// Rows [y0, y1) of the mix: per row, horizontal 3-sums of luma and luma^2 (fewer at the image's ends) for rows
/// y-1, y, y+1 kept in a ring, the vertical sum, the weight per pixel, then the mix channel by channel (contiguous
/// loops without branches, so they vectorise).
void blendRows(RgbPlanes& network, const RgbPlanes& bicubic, float inverseFull, int y0, int y1)
{
    const int h = network.height;
    const auto W = static_cast<std::size_t>(network.width);
    const std::size_t plane = network.planeSize();
    std::array<std::vector<float>, 3> rowSum, rowSquares;
    for (std::size_t r = 0; r < 3; ++r) {
        rowSum[r].resize(W);
        rowSquares[r].resize(W);
    }
    std::vector<float> l(W), l2(W), weight(W), inverseCount(W);
    for (std::size_t x = 0; x < W; ++x)
        inverseCount[x] = 1.0f / static_cast<float>(std::min(W - 1, x + 1) - (x > 0 ? x - 1 : 0) + 1);
    const auto horizontal = [&](int y) {
        const std::size_t row = static_cast<std::size_t>(y) * W;
        const float *r = bicubic.data.data() + row, *g = r + plane, *b = g + plane;
        for (std::size_t x = 0; x < W; ++x) {
            l[x] = 0.299f * r[x] + 0.587f * g[x] + 0.114f * b[x];
            l2[x] = l[x] * l[x];
        }
        float* sum = rowSum[static_cast<std::size_t>(y % 3)].data();
        float* squares = rowSquares[static_cast<std::size_t>(y % 3)].data();
        std::copy(l.begin(), l.end(), sum);
        std::copy(l2.begin(), l2.end(), squares);
        for (std::size_t x = 1; x < W; ++x) {
            sum[x] += l[x - 1];
            squares[x] += l2[x - 1];
        }
        for (std::size_t x = 0; x + 1 < W; ++x) {
            sum[x] += l[x + 1];
            squares[x] += l2[x + 1];
        }
    };
    std::vector<float> s(W), q(W);
    for (int y = std::max(0, y0 - 1); y < std::min(h, y0 + 1); ++y) horizontal(y);
    for (int y = y0; y < y1; ++y) {
        if (y + 1 < h) horizontal(y + 1);
        const int lo = std::max(0, y - 1), hi = std::min(h - 1, y + 1);
        std::fill(s.begin(), s.end(), 0.0f);
        std::fill(q.begin(), q.end(), 0.0f);
        for (int v = lo; v <= hi; ++v) {
            const float* rs = rowSum[static_cast<std::size_t>(v % 3)].data();
            const float* rq = rowSquares[static_cast<std::size_t>(v % 3)].data();
            for (std::size_t x = 0; x < W; ++x) {
                s[x] += rs[x];
                q[x] += rq[x];
            }
        }
        const float inverseRows = 1.0f / static_cast<float>(hi - lo + 1);
        for (std::size_t x = 0; x < W; ++x) {
            const float inverseN = inverseRows * inverseCount[x];
            const float mean = s[x] * inverseN;
            const float variance = std::max(0.0f, q[x] * inverseN - mean * mean);
            weight[x] = std::min(1.0f, std::sqrt(variance) * inverseFull);
        }
        const std::size_t row = static_cast<std::size_t>(y) * W;
        for (std::size_t c = 0; c < 3; ++c) {
            const float* b = bicubic.data.data() + c * plane + row;
            float* o = network.data.data() + c * plane + row; // in place: only the bicubic image is read around
            for (std::size_t x = 0; x < W; ++x) o[x] = b[x] + weight[x] * (o[x] - b[x]);
        }
    }
}

} // namespace

RgbPlanes blendDetail(RgbPlanes network, const RgbPlanes& bicubic, double fullContrast)
{
    if (network.width != bicubic.width || network.height != bicubic.height)
        throw InvalidArgument("blendDetail: the network and bicubic images differ in size.");
    if (fullContrast <= 0.0) return network;
    const auto inverseFull = static_cast<float>(1.0 / fullContrast);
    // Bands of rows on the available cores (a 4x video frame is millions of pixels; on a GPU box this would
    // otherwise cap the frame rate).
    const int h = network.height;
    const int bands = std::clamp(static_cast<int>(workerCount(0)), 1, std::max(1, std::min(8, h / 64)));
    parallelFor(static_cast<std::size_t>(bands), static_cast<unsigned>(bands), [&](std::size_t b) {
        const int t = static_cast<int>(b);
        blendRows(network, bicubic, inverseFull, h * t / bands, h * (t + 1) / bands);
    });
    return network;
}

} // namespace strata::superres

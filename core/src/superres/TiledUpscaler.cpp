#include "strata/superres/TiledUpscaler.h"

#include "strata/Error.h"
#include "strata/inference/SuperResolutionModel.h"

#include <algorithm>
#include <cstring>
#include <string>

namespace strata::superres {

namespace {

struct TileRef {
    std::size_t image;
    int x0;
    int y0;
};

/// Blending weight of each input pixel along one axis of a tile starting at `start` of length `len` in an axis
/// of `length`: 0 within `radius` of an inner edge (those pixels saw zero padding instead of the image), then a
/// linear ramp to 1 over the rest of the overlap; tile edges on the image border need no margin.
std::vector<float> axisWeights(int start, int len, int length, int radius, int overlap)
{
    std::vector<float> w(static_cast<std::size_t>(len), 1.0f);
    const float ramp = static_cast<float>(std::max(1, overlap - 2 * radius));
    for (int i = 0; i < len; ++i) {
        float v = 1.0f;
        if (start > 0) {
            v = std::min(v, std::clamp((i - radius + 1) / ramp, 0.0f, 1.0f));
        }
        if (start + len < length) {
            v = std::min(v, std::clamp((len - i - radius) / ramp, 0.0f, 1.0f));
        }
        w[static_cast<std::size_t>(i)] = v;
    }
    return w;
}

} // namespace

TiledUpscaler::TiledUpscaler(UpscaleFn fn, int scale, int receptiveRadius, TileOptions options)
    : fn_(std::move(fn)), scale_(scale), radius_(std::max(0, receptiveRadius)), options_(options)
{
    if (scale_ < 1) {
        throw InvalidArgument("Super-resolution scale must be at least 1.");
    }
    if (options_.tile != 0 && options_.tile <= effectiveOverlap()) {
        throw InvalidArgument("Tile size " + std::to_string(options_.tile) + " is too small: it must be larger than the overlap of " +
                              std::to_string(effectiveOverlap()) + " pixels this model needs (2 x receptive radius " +
                              std::to_string(radius_) + " + 8), or 0 for no tiling.");
    }
    options_.batch = std::max(1, options_.batch);
}

TiledUpscaler::TiledUpscaler(inference::SuperResolutionModel& model, TileOptions options, std::stop_token stop)
    : TiledUpscaler(
          [&model, stop](std::span<const float> planar, int count, int w, int h) {
              return model.upscale(planar, count, w, h, stop);
          },
          model.scale(), model.receptiveRadius(), options)
{
}

int TiledUpscaler::effectiveOverlap() const { return std::max(options_.overlap, 2 * radius_ + 8); }

int TiledUpscaler::tileLength(int length) const
{
    if (options_.tile == 0 || options_.tile >= length) {
        return length;
    }
    // the fewest tiles of at most options_.tile that cover the axis with the overlap, then the smallest tile
    // length that still covers it with that many: less duplicated work than full-size tiles
    const int o = effectiveOverlap();
    const int n = (length - o + (options_.tile - o) - 1) / (options_.tile - o);
    return std::min(options_.tile, (length + (n - 1) * o + n - 1) / n);
}

std::vector<std::int64_t> TiledUpscaler::starts(int length) const
{
    const int tile = tileLength(length);
    if (tile >= length) {
        return {0};
    }
    const int o = effectiveOverlap();
    const int n = (length - o + (tile - o) - 1) / (tile - o);
    std::vector<std::int64_t> s;
    for (int i = 0; i < n; ++i) { // evenly spread, the last tile ending at the edge
        s.push_back(static_cast<std::int64_t>(i) * (length - tile) / (n - 1));
    }
    return s;
}

RgbPlanes TiledUpscaler::upscale(const RgbPlanes& image, std::stop_token stop, const ProgressFn& progress) const
{
    return std::move(upscale(std::vector<RgbPlanes>{image}, stop, progress).front());
}

std::vector<RgbPlanes> TiledUpscaler::upscale(const std::vector<RgbPlanes>& images, std::stop_token stop,
                                              const ProgressFn& progress) const
{
    if (images.empty()) {
        return {};
    }
    const int w = images.front().width, h = images.front().height;
    for (const auto& im : images) {
        if (im.empty()) {
            throw InvalidArgument("The image is empty (0 pixels).");
        }
        if (im.width != w || im.height != h || im.data.size() != 3 * im.planeSize()) {
            throw InvalidArgument("Images upscaled together must all be " + std::to_string(w) + " x " + std::to_string(h) + ".");
        }
    }
    const int s = scale_;
    const int tw = tileLength(w);
    const int th = tileLength(h);
    const auto xs = starts(w), ys = starts(h);
    const int overlap = effectiveOverlap();
    std::vector<TileRef> tiles;
    for (std::size_t i = 0; i < images.size(); ++i) {
        for (auto y0 : ys) {
            for (auto x0 : xs) {
                tiles.push_back({i, static_cast<int>(x0), static_cast<int>(y0)});
            }
        }
    }
    std::vector<RgbPlanes> out(images.size());
    std::vector<std::vector<float>> weightSum(images.size());
    for (std::size_t i = 0; i < images.size(); ++i) {
        out[i] = RgbPlanes(w * s, h * s);
        weightSum[i].assign(out[i].planeSize(), 0.0f);
    }
    const std::size_t tilePlane = static_cast<std::size_t>(tw) * th;
    const std::size_t outTilePlane = tilePlane * s * s;
    const auto batch = static_cast<std::size_t>(options_.batch);
    std::vector<float> in;
    for (std::size_t first = 0; first < tiles.size(); first += batch) {
        if (stop.stop_requested()) {
            throw Cancelled();
        }
        const std::size_t n = std::min(batch, tiles.size() - first);
        in.assign(n * 3 * tilePlane, 0.0f);
        for (std::size_t t = 0; t < n; ++t) {
            const auto& ref = tiles[first + t];
            const auto& im = images[ref.image];
            for (int c = 0; c < 3; ++c) {
                for (int y = 0; y < th; ++y) {
                    std::memcpy(&in[(t * 3 + c) * tilePlane + static_cast<std::size_t>(y) * tw], im.data.data() + c * im.planeSize() + static_cast<std::size_t>(ref.y0 + y) * w + ref.x0,
                                sizeof(float) * static_cast<std::size_t>(tw));
                }
            }
        }
        const std::vector<float> result = fn_(in, static_cast<int>(n), tw, th);
        if (result.size() != n * 3 * outTilePlane) {
            throw Error("Super-resolution returned " + std::to_string(result.size()) + " values for " + std::to_string(n) +
                        " tiles, expected " + std::to_string(n * 3 * outTilePlane) + ".");
        }
        for (std::size_t t = 0; t < n; ++t) {
            const auto& ref = tiles[first + t];
            const auto wx = axisWeights(ref.x0, tw, w, radius_, overlap);
            const auto wy = axisWeights(ref.y0, th, h, radius_, overlap);
            auto& dst = out[ref.image];
            auto& sum = weightSum[ref.image];
            for (int yo = 0; yo < th * s; ++yo) {
                const float wyv = wy[static_cast<std::size_t>(yo / s)];
                if (wyv <= 0.0f) {
                    continue;
                }
                const std::size_t rowOut = static_cast<std::size_t>(ref.y0 * s + yo) * dst.width + static_cast<std::size_t>(ref.x0) * s;
                for (int xo = 0; xo < tw * s; ++xo) {
                    const float wv = wyv * wx[static_cast<std::size_t>(xo / s)];
                    if (wv <= 0.0f) {
                        continue;
                    }
                    sum[rowOut + xo] += wv;
                    for (int c = 0; c < 3; ++c) {
                        dst.data[c * dst.planeSize() + rowOut + xo] +=
                            wv * result[(t * 3 + c) * outTilePlane + static_cast<std::size_t>(yo) * tw * s + xo];
                    }
                }
            }
        }
        if (progress) {
            progress(static_cast<double>(first + n) / tiles.size(),
                     "Tile " + std::to_string(first + n) + "/" + std::to_string(tiles.size()));
        }
    }
    for (std::size_t i = 0; i < images.size(); ++i) {
        auto& dst = out[i];
        for (std::size_t p = 0; p < dst.planeSize(); ++p) {
            const float inv = 1.0f / weightSum[i][p]; // every pixel has weight: the overlap exceeds 2 x radius
            for (int c = 0; c < 3; ++c) {
                dst.data[c * dst.planeSize() + p] *= inv;
            }
        }
    }
    return out;
}

} // namespace strata::superres

#include "strata/ui/SliceRenderer.h"

#include "strata/ui/ColourMap.h"
#include "strata/ui/LabelPalette.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <type_traits>

namespace strata::ui {
namespace {

struct LinearWalk {
    std::int64_t start{0}, du{0}, dv{0};
};

/// Linear buffer index of pixel (u, v) is start + u * du + v * dv.
LinearWalk linearWalk(const Size3& size, const SliceMapping& m, int slice)
{
    const std::int64_t stride[3] = {1, static_cast<std::int64_t>(size[0]),
                                    static_cast<std::int64_t>(size[0]) * static_cast<std::int64_t>(size[1])};
    const Vec3 i0 = m.indexOf(0, 0, slice);
    LinearWalk w;
    for (int a = 0; a < 3; ++a) {
        w.start += static_cast<std::int64_t>(std::lround(i0[static_cast<std::size_t>(a)])) * stride[a];
    }
    w.du = (m.flipHorizontal() ? -1 : 1) * stride[m.horizontalAxis()];
    w.dv = (m.flipVertical() ? -1 : 1) * stride[m.verticalAxis()];
    return w;
}

template <typename T>
void renderGrey(const Image& image, const LinearWalk& w, int width, int height, const WindowLevel& wl, QImage& out)
{
    const int comps = image.components();
    const T* px = image.pixels<T>().data();
    const double low = wl.low();
    const double scale = 255.0 / std::max(wl.window, 1e-12);
    const bool rgb = comps >= 3 && std::is_same_v<T, std::uint8_t>;
    for (int v = 0; v < height; ++v) {
        auto* line = reinterpret_cast<QRgb*>(out.scanLine(v));
        std::int64_t li = w.start + v * w.dv;
        for (int u = 0; u < width; ++u, li += w.du) {
            const T* p = px + li * comps;
            if (rgb) {
                line[u] = qRgb(static_cast<int>(p[0]), static_cast<int>(p[1]), static_cast<int>(p[2]));
            } else {
                const double g = (static_cast<double>(p[0]) - low) * scale;
                const int gi = static_cast<int>(std::clamp(g, 0.0, 255.0));
                line[u] = qRgb(gi, gi, gi);
            }
        }
    }
}

/// Thickness > 0 drawn through the colour map over the grey image (same grid as the image only).
void renderThickness(const Dataset& ds, const LinearWalk& w, const SliceMapping& m, const OverlaySettings& overlay,
                     QImage& out)
{
    const Image& t = *ds.thickness;
    if (t.size() != ds.image->size() || t.pixelType() != PixelType::Float32) {
        return;
    }
    const auto px = t.pixels<float>();
    // Only the labels shown (a plate row clicked in the Results panel shows that plate alone).
    const bool filter = overlay.labelVisible && ds.labels && ds.labels->image().size() == t.size();
    const auto ids = filter ? ds.labels->ids() : decltype(ds.labels->ids()){};
    const double top = ds.thicknessMax > 0 ? ds.thicknessMax : 1.0;
    const int a = static_cast<int>(std::lround(std::clamp(overlay.opacity + 0.3, 0.0, 1.0) * 255));
    for (int v = 0; v < m.height(); ++v) {
        auto* line = reinterpret_cast<QRgb*>(out.scanLine(v));
        std::int64_t idx = w.start + v * w.dv;
        for (int u = 0; u < m.width(); ++u, idx += w.du) {
            const float value = px[static_cast<std::size_t>(idx)];
            if (ds.thicknessIsChange ? value == 0.0f : value <= 0.0f) {
                continue;
            }
            if (filter && !(*overlay.labelVisible)[ids[static_cast<std::size_t>(idx)]]) {
                continue;
            }
            const QRgb c = ds.thicknessIsChange ? ColourMap::divergingRgb(value / top) : ColourMap::rgb(value / top);
            QRgb& dst = line[u];
            dst = qRgb((qRed(dst) * (255 - a) + qRed(c) * a) / 255, (qGreen(dst) * (255 - a) + qGreen(c) * a) / 255,
                       (qBlue(dst) * (255 - a) + qBlue(c) * a) / 255);
        }
    }
}

} // namespace

QImage SliceRenderer::render(const Dataset& ds, const SliceMapping& m, int slice, const WindowLevel& wl,
                             const OverlaySettings& overlay)
{
    if (!ds.image || m.width() <= 0 || m.height() <= 0) {
        return {};
    }
    const Image& image = *ds.image;
    slice = std::clamp(slice, 0, m.sliceCount() - 1);
    QImage out(m.width(), m.height(), QImage::Format_RGB32);
    const LinearWalk w = linearWalk(image.size(), m, slice);
    dispatchPixelType(image.pixelType(), [&](auto t) {
        using T = decltype(t);
        renderGrey<T>(image, w, m.width(), m.height(), wl, out);
    });

    if (overlay.visible && overlay.thickness && ds.thickness) {
        renderThickness(ds, w, m, overlay, out);
        return out;
    }
    if (!overlay.visible || overlay.opacity <= 0.0 || !ds.labels) {
        return out;
    }
    const Image& li = ds.labels->image();
    const auto ids = ds.labels->ids();
    const LabelPalette palette(ds.labels->table());
    std::array<int, 256> alpha{};
    for (int id = 1; id < 256; ++id) {
        const bool vis = !overlay.labelVisible || (*overlay.labelVisible)[static_cast<std::size_t>(id)];
        alpha[static_cast<std::size_t>(id)] =
            vis ? static_cast<int>(std::lround(overlay.opacity * qAlpha(palette.rgba(id)))) : 0;
    }
    auto blend = [&](QRgb& dst, int id) {
        const int a = alpha[static_cast<std::size_t>(id)];
        if (a == 0) {
            return;
        }
        const QRgb c = palette.rgba(id);
        dst = qRgb((qRed(dst) * (255 - a) + qRed(c) * a) / 255, (qGreen(dst) * (255 - a) + qGreen(c) * a) / 255,
                   (qBlue(dst) * (255 - a) + qBlue(c) * a) / 255);
    };

    if (li.size() == image.size() && li.sameGeometry(image, 1e-3)) {
        for (int v = 0; v < m.height(); ++v) {
            auto* line = reinterpret_cast<QRgb*>(out.scanLine(v));
            std::int64_t idx = w.start + v * w.dv;
            for (int u = 0; u < m.width(); ++u, idx += w.du) {
                blend(line[u], ids[static_cast<std::size_t>(idx)]);
            }
        }
        return out;
    }
    // Different grid: nearest label voxel through world coordinates (an affine map index -> label index).
    const Vec3 zero = li.worldToIndex(image.indexToWorld({0, 0, 0}));
    Vec3 col[3];
    for (std::size_t a = 0; a < 3; ++a) {
        Vec3 e{0, 0, 0};
        e[a] = 1.0;
        const Vec3 p = li.worldToIndex(image.indexToWorld(e));
        for (std::size_t b = 0; b < 3; ++b) {
            col[a][b] = p[b] - zero[b];
        }
    }
    const auto& ls = li.size();
    for (int v = 0; v < m.height(); ++v) {
        auto* line = reinterpret_cast<QRgb*>(out.scanLine(v));
        for (int u = 0; u < m.width(); ++u) {
            const Vec3 ii = m.indexOf(u, v, slice);
            std::size_t lin = 0;
            bool inside = true;
            std::int64_t q[3];
            for (std::size_t b = 0; b < 3 && inside; ++b) {
                const double x = zero[b] + col[0][b] * ii[0] + col[1][b] * ii[1] + col[2][b] * ii[2];
                q[b] = std::llround(x);
                inside = q[b] >= 0 && q[b] < static_cast<std::int64_t>(ls[b]);
            }
            if (!inside) {
                continue;
            }
            lin = static_cast<std::size_t>(q[0]) + ls[0] * (static_cast<std::size_t>(q[1]) + ls[1] * static_cast<std::size_t>(q[2]));
            blend(line[u], ids[lin]);
        }
    }
    return out;
}

} // namespace strata::ui

#include "strata/quant/ThicknessMap.h"

#include "strata/Error.h"
#include "strata/Vec3Math.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numbers>

namespace strata::quant {

namespace {

constexpr float kNone = std::numeric_limits<float>::quiet_NaN();

Vec3 unit(const Vec3& v)
{
    const double n = std::sqrt(dot(v, v));
    if (n < 1e-9) throw InvalidArgument("A thickness map needs non-zero directions.");
    return {v[0] / n, v[1] / n, v[2] / n};
}

/// The patient direction a vector points to most: L, R, P, A, S or I (LPS).
std::string directionName(const Vec3& v)
{
    static const char* names[3][2] = {{"L", "R"}, {"P", "A"}, {"S", "I"}};
    int axis = 0;
    for (int a = 1; a < 3; ++a) {
        if (std::abs(v[static_cast<std::size_t>(a)]) > std::abs(v[static_cast<std::size_t>(axis)])) axis = a;
    }
    return names[axis][v[static_cast<std::size_t>(axis)] >= 0 ? 0 : 1];
}

/// Calls f(world position, thickness) for every voxel of the label.
template <typename F> void forEachVoxel(const Image& thickness, const Image& labels, std::uint8_t label, F f)
{
    if (labels.size() != thickness.size() || labels.pixelType() != PixelType::UInt8 ||
        thickness.pixelType() != PixelType::Float32) {
        throw InvalidArgument("A thickness map needs a float thickness image and a label image on the same grid.");
    }
    const auto& size = labels.size();
    const auto lab = labels.pixels<std::uint8_t>();
    const auto th = thickness.pixels<float>();
    for (std::size_t k = 0; k < size[2]; ++k) {
        for (std::size_t j = 0; j < size[1]; ++j) {
            for (std::size_t i = 0; i < size[0]; ++i) {
                const std::size_t n = i + size[0] * (j + size[1] * k);
                if (lab[n] != label) continue;
                f(labels.indexToWorld({static_cast<double>(i), static_cast<double>(j), static_cast<double>(k)}), th[n]);
            }
        }
    }
}

/// A map over [x0, x0 + w*px) x [y0, y0 + h*py) filled with the largest value per pixel; then pixels without
/// cartilage whose neighbours mostly have some get their neighbours' mean (voxels coarser than pixels).
struct Raster {
    double x0{0}, y0{0}, px{1}, py{1};
    std::size_t w{0}, h{0};
    std::vector<float> v;
    bool mean{false};           ///< mean per pixel instead of the largest value
    std::vector<double> sum;    ///< for the mean
    std::vector<unsigned> count;

    void allocate(double xmin, double xmax, double ymin, double ymax, double pxIn, double pyIn)
    {
        x0 = xmin;
        y0 = ymin;
        px = pxIn;
        py = pyIn;
        w = static_cast<std::size_t>(std::floor((xmax - xmin) / px)) + 1;
        h = static_cast<std::size_t>(std::floor((ymax - ymin) / py)) + 1;
        v.assign(w * h, kNone);
        if (mean) sum.assign(w * h, 0.0), count.assign(w * h, 0);
    }
    void put(double x, double y, float value)
    {
        const auto c = std::min(w - 1, static_cast<std::size_t>(std::max(0.0, (x - x0) / px)));
        const auto r = std::min(h - 1, static_cast<std::size_t>(std::max(0.0, (y - y0) / py)));
        float& cell = v[r * w + c];
        if (mean) {
            sum[r * w + c] += value;
            cell = static_cast<float>(sum[r * w + c] / ++count[r * w + c]);
        } else if (std::isnan(cell) || value > cell) {
            cell = value;
        }
    }
    void fillSmallHoles()
    {
        std::vector<float> out = v;
        for (std::size_t r = 1; r + 1 < h; ++r) {
            for (std::size_t c = 1; c + 1 < w; ++c) {
                if (!std::isnan(v[r * w + c])) continue;
                double sum = 0;
                int n = 0;
                for (int dr = -1; dr <= 1; ++dr) {
                    for (int dc = -1; dc <= 1; ++dc) {
                        const float q = v[(r + static_cast<std::size_t>(dr)) * w + c + static_cast<std::size_t>(dc)];
                        if (!std::isnan(q)) {
                            sum += q;
                            ++n;
                        }
                    }
                }
                if (n >= 5) out[r * w + c] = static_cast<float>(sum / n);
            }
        }
        v = std::move(out);
    }
};

double largestSpacing(const Image& image)
{
    return *std::max_element(image.spacing().begin(), image.spacing().end());
}

} // namespace

std::size_t ThicknessMap::covered() const
{
    return static_cast<std::size_t>(std::count_if(mm.begin(), mm.end(), [](float v) { return !std::isnan(v); }));
}

float ThicknessMap::maxMm() const
{
    float m = 0;
    for (const float v : mm) {
        if (!std::isnan(v)) m = std::max(m, v);
    }
    return m;
}

ThicknessMap ThicknessMap::project(const Image& thickness, const Image& labels, std::uint8_t label, const Vec3& view,
                                   const Vec3& across, Reduction reduction)
{
    const Vec3 v = unit(view), a = unit(across), b = unit(cross(v, a)); // b: the map's upward direction
    double amin = 1e300, amax = -1e300, bmin = 1e300, bmax = -1e300;
    forEachVoxel(thickness, labels, label, [&](const Vec3& p, float) {
        amin = std::min(amin, dot(p, a));
        amax = std::max(amax, dot(p, a));
        bmin = std::min(bmin, dot(p, b));
        bmax = std::max(bmax, dot(p, b));
    });
    ThicknessMap map;
    map.left = directionName({-a[0], -a[1], -a[2]});
    map.right = directionName(a);
    map.top = directionName(b);
    map.bottom = directionName({-b[0], -b[1], -b[2]});
    if (amin > amax) return map; // no cartilage
    const double px = largestSpacing(labels);
    Raster raster;
    raster.mean = reduction == Reduction::Mean;
    raster.allocate(amin, amax, -bmax, -bmin, px, px); // rows run downwards: y = -(p . b)
    forEachVoxel(thickness, labels, label, [&](const Vec3& p, float t) { raster.put(dot(p, a), -dot(p, b), t); });
    raster.fillSmallHoles();
    map.width = raster.w;
    map.height = raster.h;
    map.pixelWidthMm = map.pixelHeightMm = px;
    map.mm = std::move(raster.v);
    return map;
}

ThicknessMap ThicknessMap::unroll(const Image& thickness, const Image& labels, std::uint8_t label, const Vec3& axis,
                                  const Vec3& start, const Vec3& towards, Reduction reduction)
{
    const Vec3 ax = unit(axis), s = unit(start), t = unit(towards);
    Vec3 centre{0, 0, 0};
    std::size_t count = 0;
    forEachVoxel(thickness, labels, label, [&](const Vec3& p, float) {
        for (std::size_t c = 0; c < 3; ++c) centre[c] += p[c];
        ++count;
    });
    ThicknessMap map;
    map.left = directionName({-ax[0], -ax[1], -ax[2]});
    map.right = directionName(ax);
    if (count == 0) return map;
    for (auto& c : centre) c /= static_cast<double>(count);
    // The axis goes through the plate's centre of curvature, not its centroid (inside a C-shaped plate the
    // centroid sits off the axis): a least-squares circle (Kasa) in the plane across the axis.
    {
        double suu = 0, suw = 0, sww = 0, su = 0, sw = 0, sru = 0, srw = 0, sr = 0;
        forEachVoxel(thickness, labels, label, [&](const Vec3& p, float) {
            const Vec3 d{p[0] - centre[0], p[1] - centre[1], p[2] - centre[2]};
            const double u = dot(d, s), w = dot(d, t), r = u * u + w * w;
            suu += u * u;
            suw += u * w;
            sww += w * w;
            su += u;
            sw += w;
            sru += r * u;
            srw += r * w;
            sr += r;
        });
        const double n = static_cast<double>(count);
        // [suu suw su; suw sww sw; su sw n] [D E F]' = -[sru srw sr]', by Cramer's rule.
        const double a[3][3] = {{suu, suw, su}, {suw, sww, sw}, {su, sw, n}};
        const double b[3] = {-sru, -srw, -sr};
        auto det3 = [](const double m[3][3]) {
            return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
                   m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
        };
        const double det = det3(a);
        if (std::abs(det) > 1e-9 * std::max(1.0, std::abs(suu * sww * n))) {
            double solved[2];
            for (int col = 0; col < 2; ++col) {
                double m[3][3];
                for (int r = 0; r < 3; ++r)
                    for (int c = 0; c < 3; ++c) m[r][c] = c == col ? b[r] : a[r][c];
                solved[col] = det3(m) / det;
            }
            const double cu = -solved[0] / 2, cw = -solved[1] / 2; // the circle's centre in (start, towards)
            for (std::size_t c = 0; c < 3; ++c) centre[c] += cu * s[c] + cw * t[c];
        }
    }
    constexpr double kTurn = 2 * std::numbers::pi;
    double cut = 0; // the angle (from start towards `towards`) where the unrolled map begins
    auto polar = [&](const Vec3& p, double& along, double& angle, double& radius) {
        const Vec3 d{p[0] - centre[0], p[1] - centre[1], p[2] - centre[2]};
        along = dot(d, ax);
        const double u = dot(d, s), w = dot(d, t);
        radius = std::hypot(u, w);
        angle = std::fmod(std::atan2(w, u) - cut + 2 * kTurn, kTurn);
    };
    { // Cut the circle in the middle of the plate's widest angular gap, so the plate is never split in two.
        std::vector<bool> used(360, false);
        forEachVoxel(thickness, labels, label, [&](const Vec3& p, float) {
            double along, angle, radius;
            polar(p, along, angle, radius);
            used[std::min<std::size_t>(359, static_cast<std::size_t>(angle / kTurn * 360))] = true;
        });
        std::size_t bestStart = 0, bestLength = 0;
        for (std::size_t i = 0; i < 360; ++i) {
            if (used[i]) continue;
            std::size_t length = 0;
            while (length < 360 && !used[(i + length) % 360]) ++length;
            if (length > bestLength) {
                bestLength = length;
                bestStart = i;
            }
        }
        if (bestLength > 0) cut = (static_cast<double>(bestStart) + static_cast<double>(bestLength) / 2) / 360 * kTurn;
    }
    double xmin = 1e300, xmax = -1e300, amin = 1e300, amax = -1e300, radiusSum = 0;
    forEachVoxel(thickness, labels, label, [&](const Vec3& p, float) {
        double along, angle, radius;
        polar(p, along, angle, radius);
        xmin = std::min(xmin, along);
        xmax = std::max(xmax, along);
        amin = std::min(amin, angle);
        amax = std::max(amax, angle);
        radiusSum += radius;
    });
    const double px = largestSpacing(labels);
    const double meanRadius = std::max(px, radiusSum / static_cast<double>(count));
    Raster raster;
    raster.mean = reduction == Reduction::Mean;
    raster.allocate(xmin, xmax, amin, amax, px, px / meanRadius);
    forEachVoxel(thickness, labels, label, [&](const Vec3& p, float value) {
        double along, angle, radius;
        polar(p, along, angle, radius);
        raster.put(along, angle, value);
    });
    raster.fillSmallHoles();
    auto directionAt = [&](double unrolled) {
        const double angle = unrolled + cut;
        return directionName({std::cos(angle) * s[0] + std::sin(angle) * t[0], std::cos(angle) * s[1] + std::sin(angle) * t[1],
                              std::cos(angle) * s[2] + std::sin(angle) * t[2]});
    };
    map.top = directionAt(amin);
    map.bottom = directionAt(amax);
    map.width = raster.w;
    map.height = raster.h;
    map.pixelWidthMm = px;
    map.pixelHeightMm = px; // arc length at the mean radius
    map.mm = std::move(raster.v);
    return map;
}

namespace {

/// Blue (loss) - white - red (gain), 256 entries, BGR, for cv::applyColorMap.
cv::Mat divergingLut()
{
    cv::Mat lut(256, 1, CV_8UC3);
    const cv::Vec3d blue(172, 102, 33), white(247, 247, 247), red(43, 39, 178); // BGR of RdBu's ends and middle
    for (int i = 0; i < 256; ++i) {
        const double t = (i - 127.5) / 127.5;
        const cv::Vec3d c = t < 0 ? white + (blue - white) * (-t) : white + (red - white) * t;
        lut.at<cv::Vec3b>(i, 0) = cv::Vec3b(cv::saturate_cast<std::uint8_t>(c[0]), cv::saturate_cast<std::uint8_t>(c[1]),
                                            cv::saturate_cast<std::uint8_t>(c[2]));
    }
    return lut;
}

void colourise(const cv::Mat& grey8, cv::Mat& out, bool diverging)
{
    if (diverging) {
        static const cv::Mat lut = divergingLut();
        cv::applyColorMap(grey8, out, lut);
    } else {
        cv::applyColorMap(grey8, out, cv::COLORMAP_VIRIDIS);
    }
}

} // namespace

void ThicknessMap::writePng(const std::filesystem::path& path, const std::string& title, double maxScale, bool diverging) const
{
    // Diverging: -scale (blue) .. 0 (white) .. +scale (red); else 0 .. scale (viridis).
    const double scaleMax = maxScale > 0 ? maxScale : std::max(0.1f, maxMm());
    const double scaleMin = diverging ? -scaleMax : 0.0;
    const int scale = std::clamp(static_cast<int>(360 / std::max<std::size_t>({width, height, 1})), 2, 8);
    const int mw = static_cast<int>(width) * scale, mh = static_cast<int>(height) * scale;
    const int margin = 24, barWidth = 16, barGap = 20, labelWidth = diverging ? 76 : 64, titleHeight = 30;
    int baseline = 0;
    const int titleWidth = cv::getTextSize(title, cv::FONT_HERSHEY_SIMPLEX, 0.5, 1, &baseline).width;
    const int canvasW = std::max({margin + mw + margin + barGap + barWidth + labelWidth, 320, margin + titleWidth + margin});
    const int canvasH = titleHeight + margin + std::max(mh, 160) + margin;
    cv::Mat canvas(canvasH, canvasW, CV_8UC3, cv::Scalar(255, 255, 255));
    const cv::Scalar ink(40, 40, 40), grey(200, 200, 200);
    const int font = cv::FONT_HERSHEY_SIMPLEX;
    cv::putText(canvas, title, {margin, 20}, font, 0.5, ink, 1, cv::LINE_AA);

    // The map: thickness to 0..255, viridis; no cartilage in light grey.
    cv::Mat grey8(static_cast<int>(height), static_cast<int>(width), CV_8UC1);
    cv::Mat empty(static_cast<int>(height), static_cast<int>(width), CV_8UC1);
    for (std::size_t y = 0; y < height; ++y) {
        for (std::size_t x = 0; x < width; ++x) {
            const float v = at(x, y);
            empty.at<std::uint8_t>(static_cast<int>(y), static_cast<int>(x)) = std::isnan(v) ? 255 : 0;
            const double f = std::isnan(v) ? 0 : std::clamp((v - scaleMin) / (scaleMax - scaleMin), 0.0, 1.0);
            grey8.at<std::uint8_t>(static_cast<int>(y), static_cast<int>(x)) = static_cast<std::uint8_t>(std::lround(f * 255));
        }
    }
    if (width > 0 && height > 0) {
        cv::Mat colour, big, bigEmpty;
        colourise(grey8, colour, diverging);
        cv::resize(colour, big, {mw, mh}, 0, 0, cv::INTER_NEAREST);
        cv::resize(empty, bigEmpty, {mw, mh}, 0, 0, cv::INTER_NEAREST);
        big.setTo(grey, bigEmpty);
        big.copyTo(canvas(cv::Rect(margin, titleHeight + margin, mw, mh)));
    }
    // Patient directions at the edges.
    const int cy = titleHeight + margin + mh / 2;
    cv::putText(canvas, left, {4, cy + 5}, font, 0.45, ink, 1, cv::LINE_AA);
    cv::putText(canvas, right, {margin + mw + 4, cy + 5}, font, 0.45, ink, 1, cv::LINE_AA);
    cv::putText(canvas, top, {margin + mw / 2 - 4, titleHeight + margin - 6}, font, 0.45, ink, 1, cv::LINE_AA);
    cv::putText(canvas, bottom, {margin + mw / 2 - 4, titleHeight + margin + mh + 16}, font, 0.45, ink, 1, cv::LINE_AA);
    // Colour bar: top = largest thickness.
    const int bx = margin + mw + margin + barGap, by = titleHeight + margin, bh = std::max(mh, 160);
    cv::Mat ramp(bh, 1, CV_8UC1);
    for (int r = 0; r < bh; ++r) ramp.at<std::uint8_t>(r, 0) = static_cast<std::uint8_t>(255 - (255 * r) / std::max(1, bh - 1));
    cv::Mat rampColour, rampBig;
    colourise(ramp, rampColour, diverging);
    cv::resize(rampColour, rampBig, {barWidth, bh}, 0, 0, cv::INTER_NEAREST);
    rampBig.copyTo(canvas(cv::Rect(bx, by, barWidth, bh)));
    const double range = scaleMax - scaleMin;
    const double step = range > 4 ? 1.0 : range > 1 ? 0.5 : 0.1; // ticks on round values
    for (long tick = std::lround(std::ceil(scaleMin / step - 1e-9)); tick * step <= scaleMax + 1e-9; ++tick) {
        const double value = double(tick) * step;
        char text[32];
        std::snprintf(text, sizeof text, diverging && tick != 0 ? "%+.1f mm" : "%.1f mm", tick == 0 ? 0.0 : value);
        const int y = by + static_cast<int>(std::lround((bh - 1) * (1 - (value - scaleMin) / range)));
        cv::line(canvas, {bx + barWidth, y}, {bx + barWidth + 4, y}, ink);
        cv::putText(canvas, text, {bx + barWidth + 7, y + 4}, font, 0.4, ink, 1, cv::LINE_AA);
    }
    std::error_code ec;
    if (!path.parent_path().empty()) std::filesystem::create_directories(path.parent_path(), ec);
    if (!cv::imwrite(path.string(), canvas)) throw IoError("Cannot write the thickness map '" + path.string() + "'.");
}

} // namespace strata::quant

#include "strata/ui/ColourMap.h"

#include <QFontMetricsF>
#include <QLinearGradient>
#include <QPainter>

#include <algorithm>
#include <array>
#include <cmath>

namespace strata::ui {

namespace {
// Turbo-like stops: dark blue, blue, cyan, green, yellow, orange, red.
constexpr std::array<std::array<double, 3>, 7> kStops = {{{0.19, 0.07, 0.23},
                                                          {0.27, 0.42, 0.89},
                                                          {0.11, 0.81, 0.84},
                                                          {0.40, 0.99, 0.38},
                                                          {0.91, 0.85, 0.20},
                                                          {0.98, 0.48, 0.10},
                                                          {0.73, 0.10, 0.03}}};
} // namespace

QRgb ColourMap::rgb(double t)
{
    t = std::clamp(std::isfinite(t) ? t : 0.0, 0.0, 1.0) * (kStops.size() - 1);
    const auto i = std::min<std::size_t>(static_cast<std::size_t>(t), kStops.size() - 2);
    const double f = t - static_cast<double>(i);
    int c[3];
    for (std::size_t k = 0; k < 3; ++k) {
        c[k] = static_cast<int>(std::lround(255.0 * (kStops[i][k] * (1 - f) + kStops[i + 1][k] * f)));
    }
    return qRgb(c[0], c[1], c[2]);
}

QRgb ColourMap::divergingRgb(double t)
{
    t = std::clamp(std::isfinite(t) ? t : 0.0, -1.0, 1.0);
    // RdBu's ends (blue 33,102,172; red 178,24,43) through near-white 247.
    const double r = t < 0 ? 247 + (33 - 247) * -t : 247 + (178 - 247) * t;
    const double g = t < 0 ? 247 + (102 - 247) * -t : 247 + (24 - 247) * t;
    const double b = t < 0 ? 247 + (172 - 247) * -t : 247 + (43 - 247) * t;
    return qRgb(int(std::lround(r)), int(std::lround(g)), int(std::lround(b)));
}

std::vector<double> ColourMap::ticks(double lo, double hi, int maxTicks)
{
    std::vector<double> out;
    if (!(hi > lo) || !std::isfinite(lo) || !std::isfinite(hi) || maxTicks < 1) {
        return out;
    }
    const double raw = (hi - lo) / maxTicks;
    const double decade = std::pow(10.0, std::floor(std::log10(raw)));
    double step = 10.0 * decade;
    for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
        if (m * decade >= raw * (1 - 1e-9)) {
            step = m * decade;
            break;
        }
    }
    for (double v = std::ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) {
        out.push_back(std::abs(v) < step * 1e-9 ? 0.0 : v);
    }
    return out;
}

void ColourMap::drawBar(QPainter& p, const QRectF& rect, double max, const QString& unit, bool diverging)
{
    QLinearGradient g(rect.bottomLeft(), rect.topLeft());
    for (int i = 0; i <= 10; ++i) {
        g.setColorAt(i / 10.0, QColor::fromRgb(diverging ? divergingRgb(i / 5.0 - 1.0) : rgb(i / 10.0)));
    }
    p.save();
    p.setPen(QPen(QColor(230, 230, 230), 1));
    p.setBrush(g);
    p.drawRect(rect);
    const QFontMetricsF fm(p.font());
    const double lo = diverging ? -max : 0.0;
    auto yOf = [&](double v) { return rect.bottom() - (v - lo) / (max - lo) * rect.height(); };
    auto text = [&](double v, int decimals) {
        return QStringLiteral("%1%2").arg(diverging && v > 0 ? QStringLiteral("+") : QString()).arg(v, 0, 'f', decimals);
    };
    // The top label carries the unit; ticks on round values below it, labelled where they do not crowd it.
    const QString top = QStringLiteral("%1 %2").arg(text(max, 1), unit);
    p.drawText(QPointF(rect.left() - fm.horizontalAdvance(top) - 6, rect.top() + fm.ascent() / 2), top);
    const int maxTicks = std::clamp(static_cast<int>(rect.height() / (fm.height() * 1.3)), 1, 8);
    const auto values = max > 0 ? ticks(lo, max, maxTicks) : std::vector<double>{};
    double step = values.size() > 1 ? values[1] - values[0] : 1.0;
    const int decimals = step >= 1.0 - 1e-9 ? 0 : step >= 0.1 - 1e-9 ? 1 : 2;
    for (double v : values) {
        const double y = yOf(v);
        p.drawLine(QPointF(rect.left() - 4, y), QPointF(rect.left(), y));
        if (y - rect.top() < fm.height() * 0.9) {
            continue; // the top label is there
        }
        const QString label = text(v, decimals);
        p.drawText(QPointF(rect.left() - fm.horizontalAdvance(label) - 6, y + fm.ascent() / 2 - 1), label);
    }
    p.restore();
}

} // namespace strata::ui

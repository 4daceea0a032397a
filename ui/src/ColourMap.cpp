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
    const QString top = QStringLiteral("%1%2 %3").arg(diverging ? QStringLiteral("+") : QString()).arg(max, 0, 'f', 1).arg(unit);
    const QString bottom = diverging ? QStringLiteral("-%1").arg(max, 0, 'f', 1) : QStringLiteral("0");
    if (diverging) {
        const QString zero = QStringLiteral("0");
        p.drawText(QPointF(rect.left() - fm.horizontalAdvance(zero) - 4, rect.center().y() + fm.ascent() / 2 - 1), zero);
    }
    p.drawText(QPointF(rect.left() - fm.horizontalAdvance(top) - 4, rect.top() + fm.ascent() / 2), top);
    p.drawText(QPointF(rect.left() - fm.horizontalAdvance(bottom) - 4, rect.bottom() + fm.ascent() / 2 - 2), bottom);
    p.restore();
}

} // namespace strata::ui

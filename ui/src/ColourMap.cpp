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

void ColourMap::drawBar(QPainter& p, const QRectF& rect, double max, const QString& unit)
{
    QLinearGradient g(rect.bottomLeft(), rect.topLeft());
    for (int i = 0; i <= 10; ++i) {
        g.setColorAt(i / 10.0, QColor::fromRgb(rgb(i / 10.0)));
    }
    p.save();
    p.setPen(QPen(QColor(230, 230, 230), 1));
    p.setBrush(g);
    p.drawRect(rect);
    const QFontMetricsF fm(p.font());
    const QString top = QStringLiteral("%1 %2").arg(max, 0, 'f', 1).arg(unit), bottom = QStringLiteral("0");
    p.drawText(QPointF(rect.left() - fm.horizontalAdvance(top) - 4, rect.top() + fm.ascent() / 2), top);
    p.drawText(QPointF(rect.left() - fm.horizontalAdvance(bottom) - 4, rect.bottom() + fm.ascent() / 2 - 2), bottom);
    p.restore();
}

} // namespace strata::ui

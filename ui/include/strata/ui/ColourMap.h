#pragma once

#include <QRgb>
#include <QRectF>
#include <QString>

#include <vector>

class QPainter;

namespace strata::ui {

/// The thickness colour scale (a perceptually ordered blue-green-yellow-red ramp) shared by the slice overlay,
/// the 3D meshes, the colour bars and the report.
class ColourMap {
public:
    /// Colour of t in [0, 1] (clamped).
    static QRgb rgb(double t);
    /// Change colour of t in [-1, 1] (clamped): blue (loss) - white (0) - red (gain), as the report's change maps.
    static QRgb divergingRgb(double t);
    /// A vertical colour bar in `rect` (top = max) with ticks on round values and labels on its left (the top one
    /// with the unit); `diverging`: -max .. +max with divergingRgb.
    static void drawBar(QPainter& p, const QRectF& rect, double max, const QString& unit, bool diverging = false);
    /// Round values in [lo, hi] a step of 1, 2, 2.5 or 5 x 10^k apart, at most maxTicks + 1 of them (lo < hi).
    static std::vector<double> ticks(double lo, double hi, int maxTicks = 5);
};

} // namespace strata::ui

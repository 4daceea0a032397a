#pragma once

#include <QRgb>
#include <QRectF>
#include <QString>

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
    /// A vertical colour bar in `rect` (top = max) with labels 0 and `max` on its left; `diverging`: -max .. +max
    /// with divergingRgb, labelled at both ends and 0.
    static void drawBar(QPainter& p, const QRectF& rect, double max, const QString& unit, bool diverging = false);
};

} // namespace strata::ui

#pragma once

#include <strata/Image.h>

#include <QObject>
#include <QString>

#include <optional>
#include <vector>

namespace strata::ui {

class ViewerState;

enum class MeasureTool { None, Ruler, Angle, Rectangle, Ellipse };

/// One hand measurement on a slice: points are continuous voxel indices of the dataset's image.
struct Measurement {
    MeasureTool tool{MeasureTool::None};
    int sliceAxis{2};         ///< the index axis across the slice it was drawn on
    std::vector<Vec3> points; ///< ruler: 2 ends; angle: arm end, vertex, arm end; ROI: 2 corners
    QString text;             ///< "23.4 mm", "87.5°", "mean 412.3  SD 35.1  min 2  max 880  n 150  33.5 mm²  67.0 mm³"
    QString label;            ///< what the view writes beside it: the text, for regions "mean 412.3  SD 35.1"
};

/// The measurement tools of the slice views (Measure menu): ruler (mm), angle (degrees), rectangle and ellipse
/// regions (mean, SD, min, max, voxels, area, volume), all measured in patient space by strata::measure. The left
/// button draws while a tool is on: a ruler or region by dragging, an angle by dragging its first arm and clicking the
/// end of the second. Measurements belong to the current dataset (cleared when another is shown).
class MeasureSession : public QObject {
    Q_OBJECT
public:
    explicit MeasureSession(ViewerState* state, QObject* parent = nullptr);

    MeasureTool tool() const { return tool_; }
    void setTool(MeasureTool tool);
    bool active() const { return tool_ != MeasureTool::None; }

    const std::vector<Measurement>& measurements() const { return done_; }
    /// The measurement being drawn (null when none).
    const Measurement* pending() const { return pending_ ? &*pending_ : nullptr; }
    void clear();

    /// Mouse input from a slice view (continuous voxel index under the mouse).
    void press(const Vec3& index, int sliceAxis);
    void move(const Vec3& index);
    void release(const Vec3& index);

    /// The text of a measurement of the current dataset's image (recomputed from its points).
    QString describe(const Measurement& m) const;

Q_SIGNALS:
    void toolChanged();
    /// A measurement was added, changed while drawn, or the list cleared.
    void changed();
    /// A measurement was finished: its text.
    void measured(const QString& text);

private:
    void finish();
    static QString shortLabel(const Measurement& m);

    ViewerState* state_;
    MeasureTool tool_{MeasureTool::None};
    std::vector<Measurement> done_;
    std::optional<Measurement> pending_;
    bool dragging_{false};
};

} // namespace strata::ui

#pragma once

#include "strata/ui/SliceMapping.h"
#include "strata/ui/ViewPlane.h"

#include <QImage>
#include <QPointF>
#include <QWidget>

#include <optional>

namespace strata::ui {

class ViewerState;
class LabelEditSession;
class MeasureSession;

/// One orthogonal slice view, drawn with QPainter from a QImage computed by SliceRenderer. Left click/drag
/// moves the shared cursor, wheel / Page Up / Page Down scroll slices, Ctrl+wheel zooms, middle drag pans,
/// right drag changes window/level, R resets the view, double-click or M maximises. While a label edit tool is on
/// (LabelEditSession), left click/drag paints, erases or fills instead (Shift+left still moves the cursor) and the
/// brush's outline follows the mouse.
class SliceView : public QWidget {
    Q_OBJECT
public:
    SliceView(ViewPlane plane, ViewerState* state, QWidget* parent = nullptr);

    ViewPlane plane() const { return plane_; }
    const SliceMapping& mapping() const { return mapping_; }
    /// Index along the mapping's slice axis currently shown.
    int slice() const;
    double zoom() const { return zoom_; }
    QPointF pan() const { return pan_; }
    /// The slice image (one pixel per voxel) as last rendered.
    const QImage& sliceImage();

    /// Widget position of the centre of voxel `index` (in-plane part), and the voxel under a widget position.
    QPointF widgetPosOfIndex(const std::array<int, 3>& index) const;
    std::array<int, 3> indexAtWidgetPos(const QPointF& pos) const;
    /// Rectangle (widget coordinates) the slice image occupies.
    QRectF imageRect() const;
    /// The label editor whose tools the left button uses (may be null: no editing in this view).
    void setEditSession(LabelEditSession* session);
    /// The measurement tools the left button uses while one is on (may be null).
    void setMeasureSession(MeasureSession* session);
    /// Widget position of a continuous voxel index on the shown slice.
    QPointF widgetPosOf(const Vec3& index) const;

public Q_SLOTS:
    void resetView();
    /// Moves the cursor `steps` slices (positive: superior / anterior / left).
    void scrollSlices(int steps);

Q_SIGNALS:
    void maximiseRequested();
    void frameRendered();

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

private:
    void onDatasetChanged();
    void invalidate();
    void moveCursorTo(const QPointF& pos);
    /// Continuous voxel index under a widget position on the shown slice.
    Vec3 continuousIndexAt(const QPointF& pos) const;
    void drawBrushOutline(QPainter& p) const;
    /// The measurements drawn on the shown slice, and the one being drawn.
    void drawMeasurements(QPainter& p) const;

    ViewPlane plane_;
    ViewerState* state_;
    SliceMapping mapping_;
    QImage image_;
    bool dirty_{true};
    bool video_{false};        ///< the dataset is a video: its slices are frames
    bool patientAxes_{true};   ///< orientation letters and plane names (not for photos and videos)
    int renderedSlice_{-1};
    double zoom_{1.0};
    QPointF pan_{0, 0};
    Qt::MouseButton dragButton_{Qt::NoButton};
    QPointF dragStart_;
    QPointF panStart_;
    double wlStartWindow_{1}, wlStartLevel_{0};
    LabelEditSession* edit_{nullptr};
    bool painting_{false};
    MeasureSession* measure_{nullptr};
    bool measuring_{false};
    std::optional<QPointF> mousePos_; ///< for the brush outline
};

} // namespace strata::ui

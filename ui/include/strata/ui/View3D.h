#pragma once

#include "strata/ui/SurfaceInput.h"

#include <QImage>
#include <QWidget>

#include <array>

#include <memory>
#include <set>

namespace strata::ui {

class ViewerState;
class VtkOpenGLWidget;

/// The 3D view: label surfaces (discrete flying edges + windowed-sinc smoothing, coloured from the label
/// table) and the three slice planes as textured planes following the cursor. VTK objects live here, on the
/// GUI thread; their input data is prepared off-thread (SurfaceInputBuilder).
class View3D : public QWidget {
    Q_OBJECT
public:
    explicit View3D(ViewerState* state, QWidget* parent = nullptr);
    ~View3D() override;

    /// Builds one surface per label, one label per event-loop turn so the window stays responsive.
    /// Replaces the surfaces of the labels in `touched` only (an edit): their actors go, the input's labels (those
    /// still present) are built anew; the other surfaces stay.
    void updateSurfaces(std::shared_ptr<const SurfaceInput> input, const std::set<int>& touched);
    void setSurfaceInput(std::shared_ptr<const SurfaceInput> input);
    void clearSurfaces();
    bool buildingSurfaces() const;
    int surfaceCount() const;
    /// Cartilage meshes of the dataset's result coloured by thickness (shown while thickness is on).
    int thicknessMeshCount() const;
    void setSlicePlanesVisible(bool visible);
    bool slicePlanesVisible() const { return planesVisible_; }

    /// The rendered GL frame.
    QImage grabImage();
    VtkOpenGLWidget* glWidget() const { return gl_; }

public Q_SLOTS:
    void resetCamera();
    /// The camera (position, focal point, view up, view angle) to put back after a temporary view (the report's).
    std::array<double, 10> camera() const;
    void setCamera(const std::array<double, 10>& camera);
    /// Schedules a repaint.
    void refresh();

Q_SIGNALS:
    void surfaceProgress(int done, int total);
    void surfacesReady();
    void maximiseRequested();

protected:
    void keyPressEvent(QKeyEvent* event) override;

private:
    void onDatasetChanged();
    void updateSlicePlanes();
    void updateVisibility();
    void rebuildThicknessMeshes();
    /// Builds `input`'s surfaces one per event-loop turn (buildNextSurface), keeping the actors there are.
    void startBuilding(std::shared_ptr<const SurfaceInput> input);
    void buildNextSurface(quint64 generation);

    struct Scene;
    ViewerState* state_;
    VtkOpenGLWidget* gl_;
    std::unique_ptr<Scene> scene_;
    bool planesVisible_{true};
    bool planesScheduled_{false};
};

} // namespace strata::ui

#pragma once

#include <QOpenGLWidget>

#include <memory>

class vtkRenderer;

namespace strata::ui {

class VtkRenderWindowBridge;

/// The Qt half of the Qt/VTK adapter: a QOpenGLWidget whose paintGL renders a VTK render window (through
/// VtkRenderWindowBridge, which keeps VTK's GL headers out of this file) and which forwards mouse events to
/// VTK's trackball-camera interactor.
class VtkOpenGLWidget : public QOpenGLWidget {
    Q_OBJECT
public:
    explicit VtkOpenGLWidget(QWidget* parent = nullptr);
    ~VtkOpenGLWidget() override;

    vtkRenderer* renderer() const;
    VtkRenderWindowBridge& bridge() const { return *bridge_; }

    /// OpenGL 3.2 core, depth 24, stencil 8, no multisampling. Call before constructing QApplication.
    static void setDefaultSurfaceFormat();

Q_SIGNALS:
    /// Emitted after each paintGL.
    void frameRendered();
    void doubleClicked();

protected:
    void initializeGL() override;
    void resizeGL(int w, int h) override;
    void paintGL() override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void enterEvent(QEnterEvent* event) override;
    void leaveEvent(QEvent* event) override;

private:
    void cleanupGL();
    QPoint devicePos(const QPointF& p) const;

    std::unique_ptr<VtkRenderWindowBridge> bridge_;
};

} // namespace strata::ui

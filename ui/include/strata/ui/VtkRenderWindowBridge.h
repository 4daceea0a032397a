#pragma once

#include <functional>
#include <memory>

class vtkRenderer;
class vtkGenericOpenGLRenderWindow;

namespace strata::ui {

/// The VTK half of the Qt/VTK adapter: owns a vtkGenericOpenGLRenderWindow, a renderer and an interactor
/// (trackball camera). It includes VTK's OpenGL headers and never Qt's GL headers; VtkOpenGLWidget is the Qt
/// half. Plain C++ interface (pixel coordinates with y down, as Qt gives them). GUI thread only.
class VtkRenderWindowBridge {
public:
    enum class Button { Left, Middle, Right };

    VtkRenderWindowBridge();
    ~VtkRenderWindowBridge();
    VtkRenderWindowBridge(const VtkRenderWindowBridge&) = delete;
    VtkRenderWindowBridge& operator=(const VtkRenderWindowBridge&) = delete;

    vtkRenderer* renderer() const;
    vtkGenericOpenGLRenderWindow* renderWindow() const;

    /// makeCurrent: make the widget's GL context current; isCurrent: whether it is; requestUpdate: schedule
    /// a repaint of the widget (VTK asked to render outside paintGL).
    void setCallbacks(std::function<void()> makeCurrent, std::function<bool()> isCurrent,
                      std::function<void()> requestUpdate);

    /// In initializeGL: adopt the current context. Sizes are in device pixels.
    void initialize(int width, int height);
    void resize(int width, int height);
    /// In paintGL: render, then blit the result into `targetFramebuffer` (Qt's defaultFramebufferObject())
    /// of the given size in device pixels.
    void render(unsigned int targetFramebuffer, int width, int height);
    /// With the context current: free GL resources (before the context goes away).
    void releaseGraphicsResources();
    bool initialized() const;

    void mousePress(Button b, int x, int y, bool ctrl, bool shift, bool doubleClick);
    void mouseRelease(Button b, int x, int y, bool ctrl, bool shift);
    void mouseMove(int x, int y, bool ctrl, bool shift);
    void wheel(int x, int y, int delta, bool ctrl, bool shift);
    void enter();
    void leave();

private:
    struct Impl;
    std::unique_ptr<Impl> d_;
};

} // namespace strata::ui

#include "strata/ui/VtkOpenGLWidget.h"

#include "strata/ui/VtkRenderWindowBridge.h"

#include <QMouseEvent>
#include <QOpenGLContext>
#include <QSurfaceFormat>
#include <QWheelEvent>

namespace strata::ui {
namespace {

VtkRenderWindowBridge::Button toButton(Qt::MouseButton b)
{
    switch (b) {
    case Qt::MiddleButton: return VtkRenderWindowBridge::Button::Middle;
    case Qt::RightButton: return VtkRenderWindowBridge::Button::Right;
    default: return VtkRenderWindowBridge::Button::Left;
    }
}

} // namespace

VtkOpenGLWidget::VtkOpenGLWidget(QWidget* parent)
    : QOpenGLWidget(parent), bridge_(std::make_unique<VtkRenderWindowBridge>())
{
    setUpdateBehavior(QOpenGLWidget::NoPartialUpdate);
    setMouseTracking(false);
    setFocusPolicy(Qt::StrongFocus);
    // VTK calls MakeCurrent in the middle of rendering; QOpenGLWidget::makeCurrent() would also rebind Qt's
    // framebuffer under VTK's feet, so only switch when another context is current.
    bridge_->setCallbacks([this] {
                              if (context() && QOpenGLContext::currentContext() != context()) {
                                  makeCurrent();
                              }
                          },
                          [this] { return context() && QOpenGLContext::currentContext() == context(); },
                          [this] { update(); });
}

VtkOpenGLWidget::~VtkOpenGLWidget()
{
    cleanupGL();
    if (context()) {
        disconnect(context(), nullptr, this, nullptr);
    }
}

vtkRenderer* VtkOpenGLWidget::renderer() const { return bridge_->renderer(); }

void VtkOpenGLWidget::setDefaultSurfaceFormat()
{
    QSurfaceFormat fmt;
    fmt.setRenderableType(QSurfaceFormat::OpenGL);
    fmt.setVersion(3, 2);
    fmt.setProfile(QSurfaceFormat::CoreProfile);
    fmt.setSwapBehavior(QSurfaceFormat::DoubleBuffer);
    fmt.setRedBufferSize(8);
    fmt.setGreenBufferSize(8);
    fmt.setBlueBufferSize(8);
    fmt.setDepthBufferSize(24);
    fmt.setStencilBufferSize(8);
    fmt.setAlphaBufferSize(8);
    fmt.setSamples(0);
    QSurfaceFormat::setDefaultFormat(fmt);
}

void VtkOpenGLWidget::cleanupGL()
{
    if (!bridge_ || !bridge_->initialized() || !context()) {
        return;
    }
    makeCurrent();
    bridge_->releaseGraphicsResources();
    doneCurrent();
}

void VtkOpenGLWidget::initializeGL()
{
    if (context()) {
        connect(context(), &QOpenGLContext::aboutToBeDestroyed, this, &VtkOpenGLWidget::cleanupGL,
                Qt::UniqueConnection);
    }
    const qreal dpr = devicePixelRatioF();
    bridge_->initialize(static_cast<int>(width() * dpr), static_cast<int>(height() * dpr));
}

void VtkOpenGLWidget::resizeGL(int w, int h)
{
    const qreal dpr = devicePixelRatioF();
    bridge_->resize(static_cast<int>(w * dpr), static_cast<int>(h * dpr));
}

void VtkOpenGLWidget::paintGL()
{
    const qreal dpr = devicePixelRatioF();
    bridge_->render(defaultFramebufferObject(), static_cast<int>(width() * dpr), static_cast<int>(height() * dpr));
    Q_EMIT frameRendered();
}

QPoint VtkOpenGLWidget::devicePos(const QPointF& p) const
{
    const qreal dpr = devicePixelRatioF();
    return QPoint(static_cast<int>(p.x() * dpr), static_cast<int>(p.y() * dpr));
}

void VtkOpenGLWidget::mousePressEvent(QMouseEvent* e)
{
    const QPoint p = devicePos(e->position());
    bridge_->mousePress(toButton(e->button()), p.x(), p.y(), e->modifiers() & Qt::ControlModifier,
                        e->modifiers() & Qt::ShiftModifier, false);
    e->accept();
}

void VtkOpenGLWidget::mouseReleaseEvent(QMouseEvent* e)
{
    const QPoint p = devicePos(e->position());
    bridge_->mouseRelease(toButton(e->button()), p.x(), p.y(), e->modifiers() & Qt::ControlModifier,
                          e->modifiers() & Qt::ShiftModifier);
    e->accept();
}

void VtkOpenGLWidget::mouseMoveEvent(QMouseEvent* e)
{
    const QPoint p = devicePos(e->position());
    bridge_->mouseMove(p.x(), p.y(), e->modifiers() & Qt::ControlModifier, e->modifiers() & Qt::ShiftModifier);
    e->accept();
}

void VtkOpenGLWidget::mouseDoubleClickEvent(QMouseEvent* e)
{
    Q_EMIT doubleClicked();
    e->accept();
}

void VtkOpenGLWidget::wheelEvent(QWheelEvent* e)
{
    const QPoint p = devicePos(e->position());
    const int delta = e->angleDelta().y();
    if (delta != 0) {
        bridge_->wheel(p.x(), p.y(), delta, e->modifiers() & Qt::ControlModifier, e->modifiers() & Qt::ShiftModifier);
    }
    e->accept();
}

void VtkOpenGLWidget::enterEvent(QEnterEvent* e)
{
    bridge_->enter();
    QOpenGLWidget::enterEvent(e);
}

void VtkOpenGLWidget::leaveEvent(QEvent* e)
{
    bridge_->leave();
    QOpenGLWidget::leaveEvent(e);
}

} // namespace strata::ui

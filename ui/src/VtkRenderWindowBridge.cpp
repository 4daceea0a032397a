#include "strata/ui/VtkRenderWindowBridge.h"

// This translation unit is the only one that sees VTK's OpenGL (GLEW) headers; no Qt GL header here.
#include <vtk_glew.h>

#include <vtkCallbackCommand.h>
#include <vtkCommand.h>
#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkGenericRenderWindowInteractor.h>
#include <vtkInteractorStyleTrackballCamera.h>
#include <vtkNew.h>
#include <vtkOpenGLFramebufferObject.h>
#include <vtkOpenGLState.h>
#include <vtkRenderer.h>
#include <vtkSmartPointer.h>


namespace strata::ui {

struct VtkRenderWindowBridge::Impl {
    vtkNew<vtkGenericOpenGLRenderWindow> window;
    vtkNew<vtkRenderer> renderer;
    vtkNew<vtkGenericRenderWindowInteractor> interactor;
    vtkNew<vtkInteractorStyleTrackballCamera> style;
    vtkNew<vtkCallbackCommand> makeCurrentCmd, isCurrentCmd, renderCmd;
    std::function<void()> makeCurrent;
    std::function<bool()> isCurrent;
    std::function<void()> requestUpdate;
    bool initialized{false};
    bool inPaint{false};
    bool contextPending{false};

    void setEventInfo(int x, int y, bool ctrl, bool shift, int repeat = 0)
    {
        interactor->SetEventInformationFlipY(x, y, ctrl ? 1 : 0, shift ? 1 : 0, 0, repeat);
    }
};

VtkRenderWindowBridge::VtkRenderWindowBridge() : d_(std::make_unique<Impl>())
{
    d_->window->AddRenderer(d_->renderer);
    d_->window->SetMultiSamples(0);
    d_->window->SetReadyForRendering(false);
    d_->window->SetFrameBlitModeToNoBlit(); // render() blits into Qt's framebuffer itself
    d_->interactor->SetRenderWindow(d_->window);
    d_->interactor->SetInteractorStyle(d_->style);
    d_->interactor->EnableRenderOff(); // renders happen in paintGL; RenderEvent asks Qt for a repaint

    d_->makeCurrentCmd->SetClientData(d_.get());
    d_->makeCurrentCmd->SetCallback([](vtkObject*, unsigned long, void* client, void*) {
        auto* impl = static_cast<Impl*>(client);
        if (impl->makeCurrent) {
            impl->makeCurrent();
        }
    });
    d_->isCurrentCmd->SetClientData(d_.get());
    d_->isCurrentCmd->SetCallback([](vtkObject*, unsigned long, void* client, void* callData) {
        auto* impl = static_cast<Impl*>(client);
        if (callData) {
            *static_cast<bool*>(callData) = impl->isCurrent ? impl->isCurrent() : false;
        }
    });
    d_->renderCmd->SetClientData(d_.get());
    d_->renderCmd->SetCallback([](vtkObject*, unsigned long, void* client, void*) {
        auto* impl = static_cast<Impl*>(client);
        if (!impl->inPaint && impl->requestUpdate) {
            impl->requestUpdate();
        }
    });
    d_->window->AddObserver(vtkCommand::WindowMakeCurrentEvent, d_->makeCurrentCmd);
    d_->window->AddObserver(vtkCommand::WindowIsCurrentEvent, d_->isCurrentCmd);
    d_->interactor->AddObserver(vtkCommand::RenderEvent, d_->renderCmd);
}

VtkRenderWindowBridge::~VtkRenderWindowBridge()
{
    d_->window->RemoveAllObservers();
    d_->interactor->RemoveAllObservers();
}

vtkRenderer* VtkRenderWindowBridge::renderer() const { return d_->renderer; }
vtkGenericOpenGLRenderWindow* VtkRenderWindowBridge::renderWindow() const { return d_->window; }
bool VtkRenderWindowBridge::initialized() const { return d_->initialized; }

void VtkRenderWindowBridge::setCallbacks(std::function<void()> makeCurrent, std::function<bool()> isCurrent,
                                         std::function<void()> requestUpdate)
{
    d_->makeCurrent = std::move(makeCurrent);
    d_->isCurrent = std::move(isCurrent);
    d_->requestUpdate = std::move(requestUpdate);
}

void VtkRenderWindowBridge::initialize(int width, int height)
{
    if (d_->initialized) {
        d_->window->ReleaseGraphicsResources(d_->window);
    }
    d_->window->SetSize(width, height);
    d_->contextPending = true; // adopt the context in the first render(), when Qt's framebuffer exists
    d_->interactor->UpdateSize(width, height);
    d_->initialized = true;
}

void VtkRenderWindowBridge::resize(int width, int height)
{
    d_->window->SetSize(width, height);
    d_->interactor->UpdateSize(width, height);
}

void VtkRenderWindowBridge::render(unsigned int targetFramebuffer, int width, int height)
{
    if (!d_->initialized) {
        return;
    }
    d_->inPaint = true;
    if (d_->contextPending) {
        d_->window->InitializeFromCurrentContext();
        d_->interactor->Initialize();
        d_->contextPending = false;
    }
    d_->window->SetReadyForRendering(true);
    d_->window->Render();
    d_->window->SetReadyForRendering(false);

    // Copy VTK's display framebuffer into Qt's framebuffer, then force alpha to 1 (Mesa would otherwise
    // blend the widget with what lies behind it).
    vtkOpenGLState* st = d_->window->GetState();
    st->vtkglBindFramebuffer(GL_DRAW_FRAMEBUFFER, targetFramebuffer);
    unsigned int buffer = GL_COLOR_ATTACHMENT0;
    st->vtkglDrawBuffers(1, &buffer);
    st->vtkglDisable(GL_SCISSOR_TEST);
    int* src = d_->window->GetRenderFramebuffer()->GetLastSize();
    d_->window->BlitDisplayFramebuffer(0, 0, 0, src[0], src[1], 0, 0, width, height, GL_COLOR_BUFFER_BIT, GL_LINEAR);
    st->vtkglViewport(0, 0, width, height);
    st->vtkglColorMask(GL_FALSE, GL_FALSE, GL_FALSE, GL_TRUE);
    st->vtkglClearColor(0.f, 0.f, 0.f, 1.f);
    st->vtkglClear(GL_COLOR_BUFFER_BIT);
    st->vtkglColorMask(GL_TRUE, GL_TRUE, GL_TRUE, GL_TRUE);
    d_->inPaint = false;
}

void VtkRenderWindowBridge::releaseGraphicsResources()
{
    if (d_->initialized) {
        d_->window->ReleaseGraphicsResources(d_->window);
        d_->initialized = false;
    }
}

void VtkRenderWindowBridge::mousePress(Button b, int x, int y, bool ctrl, bool shift, bool doubleClick)
{
    d_->setEventInfo(x, y, ctrl, shift, doubleClick ? 1 : 0);
    const unsigned long ev = b == Button::Left     ? vtkCommand::LeftButtonPressEvent
                             : b == Button::Middle ? vtkCommand::MiddleButtonPressEvent
                                                   : vtkCommand::RightButtonPressEvent;
    d_->interactor->InvokeEvent(ev, nullptr);
}

void VtkRenderWindowBridge::mouseRelease(Button b, int x, int y, bool ctrl, bool shift)
{
    d_->setEventInfo(x, y, ctrl, shift);
    const unsigned long ev = b == Button::Left     ? vtkCommand::LeftButtonReleaseEvent
                             : b == Button::Middle ? vtkCommand::MiddleButtonReleaseEvent
                                                   : vtkCommand::RightButtonReleaseEvent;
    d_->interactor->InvokeEvent(ev, nullptr);
}

void VtkRenderWindowBridge::mouseMove(int x, int y, bool ctrl, bool shift)
{
    d_->setEventInfo(x, y, ctrl, shift);
    d_->interactor->InvokeEvent(vtkCommand::MouseMoveEvent, nullptr);
}

void VtkRenderWindowBridge::wheel(int x, int y, int delta, bool ctrl, bool shift)
{
    d_->setEventInfo(x, y, ctrl, shift);
    d_->interactor->InvokeEvent(delta > 0 ? vtkCommand::MouseWheelForwardEvent : vtkCommand::MouseWheelBackwardEvent,
                                nullptr);
}

void VtkRenderWindowBridge::enter() { d_->interactor->InvokeEvent(vtkCommand::EnterEvent, nullptr); }
void VtkRenderWindowBridge::leave() { d_->interactor->InvokeEvent(vtkCommand::LeaveEvent, nullptr); }

} // namespace strata::ui

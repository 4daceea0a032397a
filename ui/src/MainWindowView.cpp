// MainWindow: the View menu (layouts, overlay, 3D, datasets, panels, screenshot), the cursor read-out in the status
// bar and screenshots of the window. Menus and docks are created in MainWindow.cpp.
#include "strata/ui/MainWindow.h"

#include "strata/ui/DisplayPanel.h"
#include "strata/ui/LabelEditSession.h"
#include "strata/ui/SliceView.h"
#include "strata/ui/View3D.h"
#include "strata/ui/ViewLayout.h"
#include "strata/ui/ViewerState.h"
#include "strata/ui/VtkOpenGLWidget.h"

#include <QAction>
#include <QActionGroup>
#include <QDockWidget>
#include <QFileDialog>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPainter>
#include <QStatusBar>

#include <cmath>

namespace strata::ui {

void MainWindow::createViewMenu()
{
    QAction* a = nullptr;
    viewMenu_ = menuBar()->addMenu(tr("&View"));
    auto* group = new QActionGroup(this);
    const std::pair<QString, QString> layouts[] = {{tr("2 x 2 layout"), QStringLiteral("2x2")},
                                                   {tr("Axial only"), QStringLiteral("axial")},
                                                   {tr("Coronal only"), QStringLiteral("coronal")},
                                                   {tr("Sagittal only"), QStringLiteral("sagittal")},
                                                   {tr("3D only"), QStringLiteral("3d")}};
    int key = Qt::Key_1;
    for (const auto& [text, name] : layouts) {
        a = viewMenu_->addAction(text, this, [this, n = name] { setLayoutByName(n); });
        a->setShortcut(QKeySequence(Qt::CTRL | static_cast<Qt::Key>(key++)));
        a->setCheckable(true);
        a->setChecked(name == QLatin1String("2x2"));
        a->setData(name);
        group->addAction(a);
    }
    connect(layout_, &ViewLayout::layoutChanged, this, [group](int m) {
        const auto actions = group->actions();
        if (m + 1 >= 0 && m + 1 < actions.size()) {
            actions[m + 1]->setChecked(true);
        }
    });
    viewMenu_->addSeparator();
    a = viewMenu_->addAction(tr("&Reset views"), this, &MainWindow::resetAllViews);
    a->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    a = viewMenu_->addAction(tr("&Auto window/level"), this, [this] { displayPanel_->applyPreset(0); });
    a->setShortcut(QKeySequence(Qt::Key_A));
    a = viewMenu_->addAction(tr("Label &overlay"), this, [this](bool on) { state_->setOverlayVisible(on); });
    a->setCheckable(true);
    a->setChecked(true);
    a->setShortcut(QKeySequence(Qt::Key_O));
    connect(state_, &ViewerState::overlayChanged, a, [this, a] { a->setChecked(state_->overlayVisible()); });
    // [ and ]: the brush's size while a label edit tool is on, else the overlay's opacity.
    a = viewMenu_->addAction(tr("Overlay opacity + / larger brush"), this, [this] {
        edit_ && edit_->editing() ? edit_->growBrush(1) : state_->setOverlayOpacity(state_->overlayOpacity() + 0.1);
    });
    a->setShortcut(QKeySequence(Qt::Key_BracketRight));
    a = viewMenu_->addAction(tr("Overlay opacity - / smaller brush"), this, [this] {
        edit_ && edit_->editing() ? edit_->growBrush(-1) : state_->setOverlayOpacity(state_->overlayOpacity() - 0.1);
    });
    a->setShortcut(QKeySequence(Qt::Key_BracketLeft));
    a = viewMenu_->addAction(tr("Slice planes in 3D"), this, [this](bool on) { view3d_->setSlicePlanesVisible(on); });
    a->setCheckable(true);
    a->setChecked(true);
    a->setShortcut(QKeySequence(Qt::Key_P));
    a = viewMenu_->addAction(tr("Reset 3D camera"), view3d_, &View3D::resetCamera);
    a->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    a = viewMenu_->addAction(tr("&Build 3D surfaces"), this, &MainWindow::buildSurfaces);
    a->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_B));
    viewMenu_->addSeparator();
    a = viewMenu_->addAction(tr("Next dataset"), this, [this] {
        if (const int n = static_cast<int>(datasets().size()); n > 0) {
            setCurrentDataset((session_->current() + 1) % n);
        }
    });
    a->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_PageDown));
    a = viewMenu_->addAction(tr("Previous dataset"), this, [this] {
        if (const int n = static_cast<int>(datasets().size()); n > 0) {
            setCurrentDataset((session_->current() + n - 1) % n);
        }
    });
    a->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_PageUp));
    viewMenu_->addSeparator();
    QMenu* panels = viewMenu_->addMenu(tr("Panels"));
    // The order they always had (the window's children: raising Analysis over Results put it after Results).
    for (QDockWidget* dock : {dataDock_, displayDock_, labelDock_, resultsDock_, pipelineDock_, cohortDock_}) {
        panels->addAction(dock->toggleViewAction());
    }
    a = viewMenu_->addAction(tr("Full screen"), this, [this](bool on) { on ? showFullScreen() : showNormal(); });
    a->setCheckable(true);
    a->setShortcut(QKeySequence::FullScreen);
    viewMenu_->addSeparator();
    a = viewMenu_->addAction(tr("Save &screenshot..."), this, &MainWindow::saveScreenshotDialog);
    a->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
}

bool MainWindow::setLayoutByName(const QString& name)
{
    static const char* names[] = {"2x2", "axial", "coronal", "sagittal", "3d"};
    for (int i = 0; i < 5; ++i) {
        if (name.compare(QLatin1String(names[i]), Qt::CaseInsensitive) == 0) {
            layout_->setMaximised(i - 1);
            return true;
        }
    }
    return false;
}

void MainWindow::updateCursorStatus()
{
    const auto ds = state_->dataset();
    if (!ds) {
        cursorLabel_->setText(tr("Open an image with File > Open (Ctrl+O) or drop it here."));
        return;
    }
    // The voxel under the mouse while it is over a slice, else the cursor.
    const auto c = state_->hover() ? *state_->hover() : state_->cursor();
    const Vec3 w = state_->worldAt(c);
    const double value = state_->valueAt(c);
    // Photos and videos have pixels (and frames), not patient coordinates.
    QString text = ds->hasPatientAxes() ? tr("Position LPS (%1, %2, %3) mm   Voxel [%4, %5, %6]   Value %7")
                                              .arg(w[0], 0, 'f', 1)
                                              .arg(w[1], 0, 'f', 1)
                                              .arg(w[2], 0, 'f', 1)
                                              .arg(c[0])
                                              .arg(c[1])
                                              .arg(c[2])
                                              .arg(value, 0, 'g', 6)
                 : ds->isVideo() ? tr("Pixel (%1, %2)   Frame %3   Value %4").arg(c[0]).arg(c[1]).arg(c[2] + 1).arg(value, 0, 'g', 6)
                                 : tr("Pixel (%1, %2)   Value %3").arg(c[0]).arg(c[1]).arg(value, 0, 'g', 6);
    if (ds->labels) {
        const int id = state_->labelAt(c);
        const auto info = ds->labels->table().find(id);
        text += tr("   Label %1%2").arg(id).arg(info && id != 0 ? QStringLiteral(" (%1)").arg(QString::fromStdString(info->name)) : QString());
    }
    // Thickness (or its change) where the map has a value: cartilage.
    const double t = state_->thicknessAt(c);
    if (std::isfinite(t) && (ds->thicknessIsChange ? t != 0.0 : t > 0.0)) {
        text += ds->thicknessIsChange ? tr("   Change %1%2 mm").arg(t > 0 ? QStringLiteral("+") : QString()).arg(t, 0, 'f', 2)
                                      : tr("   Thickness %1 mm").arg(t, 0, 'f', 2);
    }
    cursorLabel_->setText(text);
}

void MainWindow::resetAllViews()
{
    for (SliceView* v : slices_) {
        v->resetView();
    }
    view3d_->resetCamera();
}

QImage MainWindow::grabScreenshot()
{
    QImage image = grab().toImage().convertToFormat(QImage::Format_RGB32);
    VtkOpenGLWidget* gl = view3d_->glWidget();
    if (view3d_->isVisible() && gl->isVisible()) {
        const QImage frame = view3d_->grabImage();
        if (!frame.isNull()) {
            QPainter p(&image);
            p.setCompositionMode(QPainter::CompositionMode_Source);
            p.drawImage(QRect(gl->mapTo(this, QPoint(0, 0)), gl->size()), frame.convertToFormat(QImage::Format_RGB32));
        }
    }
    return image;
}

bool MainWindow::saveScreenshot(const QString& path)
{
    const QImage image = grabScreenshot();
    if (image.isNull() || !image.save(path)) {
        showError(tr("Cannot save screenshot"), tr("The screenshot could not be written to \"%1\".").arg(path));
        return false;
    }
    return true;
}

void MainWindow::saveScreenshotDialog()
{
    const QString file = QFileDialog::getSaveFileName(this, tr("Save screenshot"), lastDir_ + QStringLiteral("/strata.png"),
                                                      tr("PNG images (*.png);;JPEG images (*.jpg)"));
    if (!file.isEmpty() && saveScreenshot(file)) {
        statusBar()->showMessage(tr("Screenshot saved to %1").arg(file), 4000);
    }
}

} // namespace strata::ui

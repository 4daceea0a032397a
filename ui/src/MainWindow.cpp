#include "strata/ui/MainWindow.h"

#include "MainWindowJobResult.h"

#include "strata/ui/CohortPanel.h"
#include "strata/ui/DataPanel.h"
#include "strata/ui/DisplayPanel.h"
#include "strata/ui/LabelEditSession.h"
#include "strata/ui/LabelPanel.h"
#include "strata/ui/PipelinePanel.h"
#include "strata/ui/RecentFilesMenu.h"
#include "strata/ui/ResultsPanel.h"
#include "strata/ui/RunQueue.h"
#include "strata/ui/RunTargets.h"
#include "strata/ui/ShortcutHelp.h"
#include "strata/ui/UserGuide.h"
#include "strata/ui/SliceView.h"
#include "strata/ui/View3D.h"
#include "strata/ui/ViewLayout.h"
#include "strata/ui/ViewerState.h"
#include "strata/ui/VtkOpenGLWidget.h"
#include "strata/ui/WindowLevelPreset.h"

#include <strata/core/Version.h>

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPainter>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTimer>

#include <cmath>
#include <filesystem>

namespace strata::ui {



MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), state_(new ViewerState(this)), targets_(new RunTargets(this)), runs_(new RunQueue(this)),
      watcher_(new QFutureWatcher<std::shared_ptr<JobResult>>(this))
{
    setObjectName(QStringLiteral("StrataMainWindow"));
    setAcceptDrops(true);
    createViews();
    createDocks();
    createStatusBar();
    createActions();
    createAnalysisActions();
    createEditActions();
    createMeasureActions();
    createPreferencesAction();
    connect(watcher_, &QFutureWatcherBase::finished, this, &MainWindow::onJobFinished);
    connect(state_, &ViewerState::cursorChanged, this, &MainWindow::updateCursorStatus);
    connect(state_, &ViewerState::hoverChanged, this, &MainWindow::updateCursorStatus);
    connect(state_, &ViewerState::datasetChanged, this, &MainWindow::updateCursorStatus);
    connect(state_, &ViewerState::labelsChanged, this, &MainWindow::updateCursorStatus);
    readSettings();
    updateTitle();
    updateCursorStatus();
}

MainWindow::~MainWindow()
{
    stop_.request_stop();
    queue_.clear();
    if (running_) {
        watcher_->waitForFinished();
    }
}

void MainWindow::createViews()
{
    for (ViewPlane plane : kViewPlanes) {
        auto* v = new SliceView(plane, state_, this);
        v->setObjectName(QStringLiteral("sliceView%1").arg(viewPlaneName(plane)));
        slices_[static_cast<std::size_t>(plane)] = v;
    }
    view3d_ = new View3D(state_, this);
    view3d_->setObjectName(QStringLiteral("view3D"));
    layout_ = new ViewLayout({slices_[0], slices_[1], slices_[2], view3d_}, this);
    setCentralWidget(layout_);
    for (int i = 0; i < 3; ++i) {
        connect(slices_[static_cast<std::size_t>(i)], &SliceView::maximiseRequested, this, [this, i] { layout_->toggleMaximised(i); });
    }
    connect(view3d_, &View3D::maximiseRequested, this, [this] { layout_->toggleMaximised(3); });
    connect(view3d_, &View3D::surfaceProgress, this, [this](int done, int total) {
        if (total > 0 && done < total) {
            setProgress(static_cast<double>(done) / total, tr("Building 3D surface %1 of %2...").arg(done + 1).arg(total));
        }
    });
    connect(view3d_, &View3D::surfacesReady, this, [this] {
        if (!running_) {
            progress_->hide();
            cancel_->hide();
        }
        statusBar()->showMessage(tr("3D surfaces ready (%1 structures)").arg(view3d_->surfaceCount()), 4000);
        checkIdle();
    });
}

void MainWindow::createDocks()
{
    dataPanel_ = new DataPanel(this);
    displayPanel_ = new DisplayPanel(state_, this);
    labelPanel_ = new LabelPanel(state_, this);
    auto addDock = [this](QWidget* w, const QString& title, const QString& name, Qt::DockWidgetArea area) {
        auto* dock = new QDockWidget(title, this);
        dock->setObjectName(name);
        dock->setWidget(w);
        dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetFloatable);
        addDockWidget(area, dock);
        return dock;
    };
    addDock(dataPanel_, tr("Data"), QStringLiteral("dataDock"), Qt::LeftDockWidgetArea);
    addDock(displayPanel_, tr("Window / level"), QStringLiteral("displayDock"), Qt::LeftDockWidgetArea);
    addDock(labelPanel_, tr("Labels"), QStringLiteral("labelDock"), Qt::LeftDockWidgetArea);
    pipelinePanel_ = new PipelinePanel(runs_, targets_, this);
    resultsPanel_ = new ResultsPanel(state_, this);
    QDockWidget* analysis = addDock(pipelinePanel_, tr("Analysis"), QStringLiteral("pipelineDock"), Qt::RightDockWidgetArea);
    QDockWidget* results = addDock(resultsPanel_, tr("Results"), QStringLiteral("resultsDock"), Qt::RightDockWidgetArea);
    tabifyDockWidget(analysis, results);
    analysis->raise();
    // Cohorts: a wide table, under the views; shown from the Analysis menu.
    cohortPanel_ = new CohortPanel(targets_, this);
    addDock(cohortPanel_, tr("Cohort"), QStringLiteral("cohortDock"), Qt::BottomDockWidgetArea)->hide();
    connect(cohortPanel_, &CohortPanel::errorOccurred, this, &MainWindow::showError);
    connect(cohortPanel_, &CohortPanel::openCaseRequested, this, &MainWindow::openResult);
    connect(pipelinePanel_, &PipelinePanel::errorOccurred, this, &MainWindow::showError);
    connect(pipelinePanel_, &PipelinePanel::openResultRequested, this, &MainWindow::openResult);
    connect(resultsPanel_, &ResultsPanel::labelActivated, this, &MainWindow::highlightLabel);
    connect(runs_, &RunQueue::jobFinished, this, &MainWindow::onRunFinished);
    connect(runs_, &RunQueue::idle, this, &MainWindow::checkIdle);
    // Earlier sessions' runs, so their results can be reopened after a restart. Only for an interactive window
    // (scripted and test windows call setInteractive(false) right after construction, before this runs).
    QTimer::singleShot(0, this, [this] {
        if (!interactive_) {
            return;
        }
        const QString warning = runs_->useHistoryFile(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
                                                      QStringLiteral("/run-history.json"));
        if (!warning.isEmpty()) {
            showError(tr("Run history"), warning);
        }
    });
    connect(dataPanel_, &DataPanel::currentChanged, this, &MainWindow::setCurrentDataset);
    connect(dataPanel_, &DataPanel::closeRequested, this, &MainWindow::closeDataset);
    connect(labelPanel_, &LabelPanel::buildSurfacesRequested, this, &MainWindow::buildSurfaces);
}

void MainWindow::createStatusBar()
{
    cursorLabel_ = new QLabel(this);
    cursorLabel_->setObjectName(QStringLiteral("cursorStatus"));
    cursorLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    progress_ = new QProgressBar(this);
    progress_->setRange(0, 1000);
    progress_->setMaximumWidth(220);
    progress_->setTextVisible(true);
    progress_->hide();
    cancel_ = new QPushButton(tr("Cancel"), this);
    cancel_->setToolTip(tr("Cancel the running operation (Esc)"));
    cancel_->hide();
    connect(cancel_, &QPushButton::clicked, this, &MainWindow::cancelWork);
    statusBar()->addPermanentWidget(cursorLabel_, 1);
    statusBar()->addPermanentWidget(progress_);
    statusBar()->addPermanentWidget(cancel_);
}

void MainWindow::createActions()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* a = file->addAction(tr("&Open image..."), this, &MainWindow::openFileDialog);
    a->setShortcut(QKeySequence::Open);
    a = file->addAction(tr("Open &DICOM folder..."), this, &MainWindow::openDicomDialog);
    a->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_D));
    a = file->addAction(tr("Open &segmentation..."), this, &MainWindow::openSegmentationDialog);
    a->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    a = file->addAction(tr("Open &result..."), this, [this] {
        if (!confirmDiscardEdits()) { // the result's segmentation replaces the edited one
            return;
        }
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Open result folder"), lastDir_);
        if (!dir.isEmpty()) {
            openResult(dir);
        }
    });
    a->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    recentMenu_ = new RecentFilesMenu(tr("Recent &files"), this);
    file->addMenu(recentMenu_);
    connect(recentMenu_, &RecentFilesMenu::openRequested, this, [this](const QString& path) { openPaths({path}); });
    connect(recentMenu_, &RecentFilesMenu::changed, this, [this] {
        if (interactive_) {
            QSettings().setValue(QStringLiteral("recentFiles"), recentMenu_->files());
        }
    });
    createExportMenu(file);
    file->addSeparator();
    a = file->addAction(tr("&Close dataset"), this, [this] { closeDataset(current_); });
    a->setShortcut(QKeySequence::Close);
    file->addSeparator();
    a = file->addAction(tr("&Quit"), this, &QWidget::close);
    a->setShortcut(QKeySequence::Quit);

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
        if (!datasets_.empty()) {
            setCurrentDataset((current_ + 1) % static_cast<int>(datasets_.size()));
        }
    });
    a->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_PageDown));
    a = viewMenu_->addAction(tr("Previous dataset"), this, [this] {
        if (!datasets_.empty()) {
            setCurrentDataset((current_ + static_cast<int>(datasets_.size()) - 1) % static_cast<int>(datasets_.size()));
        }
    });
    a->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_PageUp));
    viewMenu_->addSeparator();
    QMenu* panels = viewMenu_->addMenu(tr("Panels"));
    for (QDockWidget* dock : findChildren<QDockWidget*>()) {
        panels->addAction(dock->toggleViewAction());
    }
    a = viewMenu_->addAction(tr("Full screen"), this, [this](bool on) { on ? showFullScreen() : showNormal(); });
    a->setCheckable(true);
    a->setShortcut(QKeySequence::FullScreen);
    viewMenu_->addSeparator();
    a = viewMenu_->addAction(tr("Save &screenshot..."), this, &MainWindow::saveScreenshotDialog);
    a->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));

    a = new QAction(tr("Cancel"), this);
    a->setShortcut(QKeySequence(Qt::Key_Escape));
    connect(a, &QAction::triggered, this, [this] {
        if (runs_->runningId() >= 0) {
            pipelinePanel_->cancelRunning();
        } else if (busy()) {
            cancelWork();
        } else if (edit_ && edit_->editing()) {
            edit_->setTool(EditTool::None); // Esc also leaves the label edit tools
        }
    });
    addAction(a);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    a = help->addAction(tr("&User guide..."), this, [this] { UserGuide::show(this); });
    a->setObjectName(QStringLiteral("actionUserGuide"));
    a->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F1));
    a = help->addAction(tr("&Keyboard and mouse..."), this, &MainWindow::showShortcuts);
    a->setShortcut(QKeySequence::HelpContents);
    help->addAction(tr("&About Strata"), this, &MainWindow::showAbout);
}

void MainWindow::readSettings()
{
    QSettings s;
    lastDir_ = s.value(QStringLiteral("lastDir")).toString();
    exportDir_ = s.value(QStringLiteral("exportDir")).toString();
    pipelinePanel_->setRememberSettings(interactive_);
    cohortPanel_->setRememberSettings(interactive_);
    recentMenu_->setFiles(s.value(QStringLiteral("recentFiles")).toStringList());
    autoSurfaces_ = s.value(QStringLiteral("view/autoSurfaces"), true).toBool();
    state_->setOverlayOpacity(s.value(QStringLiteral("view/overlayOpacity"), 0.5).toDouble());
    if (!restoreGeometry(s.value(QStringLiteral("geometry")).toByteArray())) {
        resize(1280, 900);
    }
    restoreState(s.value(QStringLiteral("windowState")).toByteArray());
    setLayoutByName(s.value(QStringLiteral("view/layout"), QStringLiteral("2x2")).toString());
    if (interactive_) {
        applyPreferences(Preferences::load());
    }
}

void MainWindow::writeSettings()
{
    if (!interactive_) {
        return;
    }
    QSettings s;
    s.setValue(QStringLiteral("geometry"), saveGeometry());
    s.setValue(QStringLiteral("windowState"), saveState());
    s.setValue(QStringLiteral("lastDir"), lastDir_);
    s.setValue(QStringLiteral("exportDir"), exportDir_);
    s.setValue(QStringLiteral("recentFiles"), recentMenu_->files());
    s.setValue(QStringLiteral("view/overlayOpacity"), state_->overlayOpacity());
    s.setValue(QStringLiteral("view/autoSurfaces"), autoSurfaces_);
    static const char* names[] = {"2x2", "axial", "coronal", "sagittal", "3d"};
    s.setValue(QStringLiteral("view/layout"), QString::fromLatin1(names[layout_->maximised() + 1]));
}

void MainWindow::setInteractive(bool interactive)
{
    interactive_ = interactive;
    pipelinePanel_->setRememberSettings(interactive);
    cohortPanel_->setRememberSettings(interactive);
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

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (!confirmDiscardEdits()) {
        event->ignore();
        return;
    }
    cancelWork();
    writeSettings();
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    if (event->mimeData()->hasUrls()) {
        event->acceptProposedAction();
    }
}

void MainWindow::dropEvent(QDropEvent* event)
{
    QStringList paths;
    for (const QUrl& url : event->mimeData()->urls()) {
        if (url.isLocalFile()) {
            paths << url.toLocalFile();
        }
    }
    openPaths(paths);
    event->acceptProposedAction();
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

// ---- dialogs ----------------------------------------------------------------------------------------------

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

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About Strata"),
                       tr("<h3>Strata %1</h3><p>Medical-imaging research workstation.</p>"
                          "<p>Qt %2, VTK viewer.</p>")
                           .arg(QString::fromLatin1(kVersion), QString::fromLatin1(qVersion())));
}

void MainWindow::showShortcuts() { ShortcutHelp::show(this); }

} // namespace strata::ui

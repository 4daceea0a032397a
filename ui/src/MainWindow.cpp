#include "strata/ui/MainWindow.h"

#include "MainWindowSessionEvents.h"

#include "strata/ui/CohortPanel.h"
#include "strata/ui/DataPanel.h"
#include "strata/ui/DisplayPanel.h"
#include "strata/ui/ExportController.h"
#include "strata/ui/LabelEditSession.h"
#include "strata/ui/LabelPanel.h"
#include "strata/ui/PipelinePanel.h"
#include "strata/ui/QtPost.h"
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

#include <strata/Version.h>

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTimer>

namespace strata::ui {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), state_(new ViewerState(this)), targets_(new RunTargets(this)), runs_(new RunQueue(this)),
      events_(std::make_unique<SessionEvents>(*this)), session_(std::make_unique<Session>(*events_, postTo(this)))
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
    session_.reset(); // stops the running load and waits for it; nothing it posted arrives any more
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
        if (!session_->running()) {
            progress_->hide();
            cancel_->hide();
        }
        statusBar()->showMessage(tr("3D surfaces ready (%1 structures)").arg(view3d_->surfaceCount()), 4000);
        checkIdle();
    });
}

QDockWidget* MainWindow::addDock(QWidget* panel, const QString& title, const QString& name, Qt::DockWidgetArea area)
{
    auto* dock = new QDockWidget(title, this);
    dock->setObjectName(name); // saveState / restoreState know docks by name
    dock->setWidget(panel);
    dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetFloatable);
    addDockWidget(area, dock);
    return dock;
}

void MainWindow::raiseDock(QDockWidget* dock)
{
    dock->show();
    dock->raise();
}

void MainWindow::createDocks()
{
    dataPanel_ = new DataPanel(this);
    displayPanel_ = new DisplayPanel(state_, this);
    labelPanel_ = new LabelPanel(state_, this);
    dataDock_ = addDock(dataPanel_, tr("Data"), QStringLiteral("dataDock"), Qt::LeftDockWidgetArea);
    displayDock_ = addDock(displayPanel_, tr("Window / level"), QStringLiteral("displayDock"), Qt::LeftDockWidgetArea);
    labelDock_ = addDock(labelPanel_, tr("Labels"), QStringLiteral("labelDock"), Qt::LeftDockWidgetArea);
    pipelinePanel_ = new PipelinePanel(runs_, targets_, this);
    resultsPanel_ = new ResultsPanel(state_, this);
    pipelineDock_ = addDock(pipelinePanel_, tr("Analysis"), QStringLiteral("pipelineDock"), Qt::RightDockWidgetArea);
    resultsDock_ = addDock(resultsPanel_, tr("Results"), QStringLiteral("resultsDock"), Qt::RightDockWidgetArea);
    tabifyDockWidget(pipelineDock_, resultsDock_);
    pipelineDock_->raise();
    // Cohorts: a wide table, under the views; shown from the Analysis menu.
    cohortPanel_ = new CohortPanel(targets_, this);
    cohortDock_ = addDock(cohortPanel_, tr("Cohort"), QStringLiteral("cohortDock"), Qt::BottomDockWidgetArea);
    cohortDock_->hide();
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
    export_ = new ExportController(this, state_,
                                   {[this] { return resultDataset(); }, [this] { return reportImages(); },
                                    [this](const QString& title, const QString& message) { showError(title, message); },
                                    [this](const QString& message, int ms) { statusBar()->showMessage(message, ms); },
                                    [this] { return lastDir_; }});
    export_->populateMenu(file->addMenu(tr("&Export result")));
    file->addSeparator();
    a = file->addAction(tr("&Close dataset"), this, [this] { closeDataset(session_->current()); });
    a->setShortcut(QKeySequence::Close);
    file->addSeparator();
    a = file->addAction(tr("&Quit"), this, &QWidget::close);
    a->setShortcut(QKeySequence::Quit);

    createViewMenu();

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
    export_->setExportDir(s.value(QStringLiteral("exportDir")).toString());
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
    s.setValue(QStringLiteral("exportDir"), export_->exportDir());
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

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About Strata"),
                       tr("<h3>Strata %1</h3><p>Medical-imaging research workstation.</p>"
                          "<p>Qt %2, VTK viewer.</p>")
                           .arg(QString::fromLatin1(kVersion), QString::fromLatin1(qVersion())));
}

void MainWindow::showShortcuts() { ShortcutHelp::show(this); }

} // namespace strata::ui

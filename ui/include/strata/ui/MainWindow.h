#pragma once

#include "strata/ui/Dataset.h"
#include "strata/ui/Preferences.h"
#include "strata/ui/SurfaceInput.h"
#include "strata/ui/ViewPlane.h"
#include "strata/ui/session/Session.h"

#include <strata/report/ReportImages.h>

#include <strata/Progress.h>

#include <QMainWindow>
#include <QStringList>

#include <array>
#include <memory>
#include <set>
#include <vector>

class QAction;
class QDockWidget;
class QLabel;
class QMenu;
class QProgressBar;
class QPushButton;

namespace strata::ui {

class CohortPanel;
class CompareLabelMapsDialog;
class DataPanel;
class DisplayPanel;
class ExportController;
class LabelEditSession;
class LabelPanel;
class MeasureSession;
class PipelinePanel;
class RecentFilesMenu;
class ResultsPanel;
class RunQueue;
class RunTargets;
class SliceView;
class View3D;
class ViewerState;
class ViewLayout;

/// The workstation window: data, display and label panels, the 2x2 view layout, menus, status bar with
/// cursor read-out and a progress bar with Cancel. The open datasets, their results and the loads behind them are a
/// Session (Qt-free, one job at a time on a worker thread); the window wires it to the panels and views, which only
/// receive finished plain data. Exports go through an ExportController.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    ViewerState* state() const { return state_; }
    SliceView* sliceView(ViewPlane plane) const { return slices_[static_cast<std::size_t>(plane)]; }
    View3D* view3D() const { return view3d_; }
    ViewLayout* viewLayout() const { return layout_; }
    DataPanel* dataPanel() const { return dataPanel_; }
    DisplayPanel* displayPanel() const { return displayPanel_; }
    LabelPanel* labelPanel() const { return labelPanel_; }
    PipelinePanel* pipelinePanel() const { return pipelinePanel_; }
    ResultsPanel* resultsPanel() const { return resultsPanel_; }
    CohortPanel* cohortPanel() const { return cohortPanel_; }
    RunQueue* runQueue() const { return runs_; }
    /// The open datasets, their results and the loads behind them.
    Session& session() const { return *session_; }
    ExportController* exportController() const { return export_; }
    /// Hand correction of the current label map (Edit menu: B brush, E eraser, F fill, Ctrl+Z / Ctrl+Shift+Z).
    LabelEditSession* editSession() const { return edit_; }
    /// Ruler, angle and region statistics in the slice views (Measure menu).
    MeasureSession* measureSession() const { return measure_; }
    /// Saves the current label map (and what was edited, <path>.edits.json). False (and an error) on failure.
    bool saveSegmentation(const QString& path);
    /// Measures the edited segmentation with the knee pipeline (saved first when it has unsaved edits): the run id
    /// or -1.
    int measureEditedSegmentation();
    RunTargets* runTargets() const { return targets_; }
    /// Shows label map `index` of the current dataset (the Labels panel's list); false when there is none.
    bool showLabelMap(int index);
    /// Analysis > Compare label maps (Ctrl+Shift+L): the dialog comparing two label maps of the current dataset, or
    /// nullptr (and a message) when it has fewer than two.
    CompareLabelMapsDialog* compareLabelMaps();

    const std::vector<std::shared_ptr<Dataset>>& datasets() const { return session_->datasets(); }
    int currentDatasetIndex() const { return session_->current(); }
    void setCurrentDataset(int index);
    void closeDataset(int index);

    /// Queues files or DICOM folders for loading (off the GUI thread, one after another).
    void openPaths(const QStringList& paths);
    /// Loads a label map as the overlay of the current dataset.
    void openSegmentation(const QString& path);
    /// Prepares and builds the 3D surfaces of the current dataset's label map.
    void buildSurfaces();
    /// Loads a result bundle folder: onto the dataset it was computed from (opened if needed), with the
    /// segmentation overlay, thickness map, meshes and the results panel.
    void openResult(const QString& bundleDir);
    /// Shows or hides the Analysis and Results docks (hidden for viewer-only screenshots).
    void setAnalysisPanelsVisible(bool visible);
    /// Shows the Cohort dock (Analysis > Run cohort..., Ctrl+Shift+C).
    void showCohortPanel();
    /// Queues the pipeline panel's current choice (Ctrl+R). Returns the run id or -1.
    int runPipeline();
    /// Shows only label `id` in the views and moves the cursor to its centre (0: all labels).
    /// Shows label `id` only (0: all) and puts the cursor on it; with a femoral `region` key, in that region.
    void highlightLabel(int id, const QString& region = {});
    /// The report's pictures of the current dataset: slice snapshots and the 3D view coloured by thickness.
    report::ReportImages reportImages();
    /// Writes the current result's report; an empty path skips that format. False (and an error) on failure.
    bool writeReport(const QString& pdfPath, const QString& htmlPath);
    /// Exports segmentation, thickness, meshes, tables and report into `folder`.
    bool exportAll(const QString& folder);
    /// Copies the result's DICOM SEG and SR (dicom/seg.dcm, dicom/sr.dcm) into `folder`. False (and an error) when it
    /// has none or they cannot be copied.
    bool exportDicomObjects(const QString& folder);
    /// Applies Edit > Preferences (as its OK does; also at start): slice interpolation, folders.
    void applyPreferences(const Preferences& preferences);
    /// Cancels the running job and clears the queue.
    void cancelWork();
    /// Loading, preparing or building surfaces.
    bool busy() const;

    /// Interactive (default): errors in message boxes, settings saved. Otherwise errors go to stderr.
    void setInteractive(bool interactive);
    void setAutoSurfaces(bool on) { autoSurfaces_ = on; }
    QString lastError() const { return lastError_; }

    /// Layout by name: "2x2", "axial", "coronal", "sagittal", "3d". Returns false for an unknown name.
    bool setLayoutByName(const QString& name);
    /// The window as an image, with the GL view's framebuffer composited in.
    QImage grabScreenshot();
    bool saveScreenshot(const QString& path);

Q_SIGNALS:
    void datasetLoaded(int index);
    void errorOccurred(const QString& message);
    /// Nothing queued, running or building.
    void idle();

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    /// The session's listener: hands its events to the window's panels and views (MainWindowJobs.cpp).
    class SessionEvents;

    void createViews();
    void createDocks();
    void createActions();
    void createAnalysisActions();
    void createEditActions();
    void createMeasureActions();
    void createPreferencesAction();
    void createLabelMapActions(QMenu* analysisMenu);
    void createViewMenu();
    QDockWidget* addDock(QWidget* panel, const QString& title, const QString& name, Qt::DockWidgetArea area);
    /// Shows and raises a dock.
    static void raiseDock(QDockWidget* dock);
    bool saveSegmentationDialog();
    /// With unsaved edits: asks to save them (interactive only). False when the user cancels.
    bool confirmDiscardEdits();
    void onRunFinished(int id);
    /// Shows a result the session has attached (or one without a dataset in the Results panel alone).
    void showAttachedResult(const AttachedResult& result);
    /// The Results panel shows ds's result (or that it has none).
    void showResultOf(const std::shared_ptr<Dataset>& ds);
    /// The current dataset's result, or nullptr after telling the user there is none.
    std::shared_ptr<Dataset> resultDataset();
    void createStatusBar();
    void readSettings();
    void writeSettings();
    void checkIdle();
    void showError(const QString& title, const QString& message);
    void setProgress(double fraction, const QString& message);
    void updateCursorStatus();
    void updateTitle();
    void refreshDataPanel();
    void openFileDialog();
    void openDicomDialog();
    void openSegmentationDialog();
    void saveScreenshotDialog();
    void showAbout();
    void showShortcuts();
    void resetAllViews();

    ViewerState* state_;
    std::array<SliceView*, 3> slices_{};
    View3D* view3d_{nullptr};
    ViewLayout* layout_{nullptr};
    DataPanel* dataPanel_{nullptr};
    DisplayPanel* displayPanel_{nullptr};
    LabelPanel* labelPanel_{nullptr};
    RunTargets* targets_{nullptr};
    RunQueue* runs_{nullptr};
    PipelinePanel* pipelinePanel_{nullptr};
    ResultsPanel* resultsPanel_{nullptr};
    CohortPanel* cohortPanel_{nullptr};
    QDockWidget* dataDock_{nullptr};
    QDockWidget* displayDock_{nullptr};
    QDockWidget* labelDock_{nullptr};
    QDockWidget* pipelineDock_{nullptr};
    QDockWidget* resultsDock_{nullptr};
    QDockWidget* cohortDock_{nullptr};
    ExportController* export_{nullptr};
    LabelEditSession* edit_{nullptr};
    MeasureSession* measure_{nullptr};
    QAction* undo_{nullptr};
    QAction* redo_{nullptr};
    QLabel* cursorLabel_{nullptr};
    QProgressBar* progress_{nullptr};
    QPushButton* cancel_{nullptr};
    RecentFilesMenu* recentMenu_{nullptr};
    QMenu* viewMenu_{nullptr};
    QMenu* editMenu_{nullptr};

    std::unique_ptr<SessionEvents> events_;
    std::unique_ptr<Session> session_; // after events_: destroyed (its worker stopped and joined) first

    bool interactive_{true};
    bool autoSurfaces_{true};
    QString lastError_;
    QString lastDir_;
};

} // namespace strata::ui

#pragma once

#include <strata/pipeline/PipelineManifest.h>

#include "strata/ui/OptionalInputRows.h"
#include "strata/ui/RunJob.h"

#include <QWidget>

#include <optional>
#include <vector>

class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;

namespace strata::ui {

class ParameterForm;
class RunHistoryView;
class RunQueue;
class RunTargets;

/// Choose a pipeline (from the targets' manifests), its input among the loaded datasets, its parameters and
/// where it runs; Run queues it on the RunQueue, the progress bar follows the running job (stage, elapsed,
/// remaining), Cancel stops it, and the history lists every run.
///
/// A pipeline's optional inputs get one row each (OptionalInputRows), left "not given" by default: the run request
/// then has no entry for them, as before optional inputs existed.
class PipelinePanel : public QWidget {
    Q_OBJECT
public:
    /// A loaded label overlay that can be given as a label-map input.
    using LabelOverlay = OptionalInputRows::LabelOverlay;

    PipelinePanel(RunQueue* queue, RunTargets* targets, QWidget* parent = nullptr);

    /// Loaded datasets that can be inputs: display names and paths (current one selected).
    void setInputs(const QStringList& names, const QStringList& paths, int current);
    /// A file or folder that is not a dataset (chosen with the input's "..." button), listed after the open
    /// datasets (the last 8 are kept) and selected.
    void addExtraInput(const QString& path);
    /// The label overlays of the loaded datasets (offered for label-map inputs whose run input shares their grid).
    void setLabelOverlays(std::vector<LabelOverlay> overlays);
    /// Folder under which each run gets its own result folder.
    void setResultsRoot(const QString& folder);
    QString resultsRoot() const;
    /// Remember the choices in QSettings (off in tests and screenshot mode).
    void setRememberSettings(bool on);
    /// Edit > Preferences' device, selected when the target is this workstation.
    void applyDevicePreference(const QString& device);

    /// Selects a pipeline as the user's choice: opening other data no longer preselects one.
    bool selectPipeline(const QString& id);
    QString currentPipelineId() const;
    ParameterForm* parameterForm() const { return form_; }
    QPushButton* runButton() const { return run_; }
    QPushButton* cancelButton() const { return cancel_; }
    QProgressBar* progressBar() const { return progress_; }
    QLabel* stageLabel() const { return stage_; }
    RunHistoryView* history() const { return history_; }

    /// Gives an optional input of the current pipeline (an empty path: not given). Returns false when the pipeline
    /// has no such optional input.
    bool setOptionalInput(const QString& name, const QString& path);
    /// The path given for an optional input, empty when not given.
    QString optionalInput(const QString& name) const;

    /// The job run() would queue with the current choices, or nothing (and errorOccurred) when something is
    /// missing. Creates the results folder.
    std::optional<RunJob> prepareRun();
    /// Queues a run with the current choices. Returns its id, or -1 (and errorOccurred) when something is missing.
    int run();
    /// Cancels the running job.
    void cancelRunning();

Q_SIGNALS:
    void errorOccurred(const QString& title, const QString& message);
    void openResultRequested(const QString& bundleDir);

private:
    /// Shows pipeline `id` without counting it as the user's choice (preselection, restored settings).
    bool showPipeline(const QString& id);
    void rebuildTargets();

    void onPipelineChanged();
    /// Lists the open datasets and chosen files the current pipeline takes, selecting `wanted` (kept even when it
    /// does not fit with `keepWanted`: a file the user just chose).
    void refillInputs(const QString& wanted, bool keepWanted = false);
    void onTargetChanged();
    void onJobChanged(int id);
    void readSettings();
    void writeSettings();
    const pipeline::PipelineManifest* manifest() const;

    RunQueue* queue_;
    RunTargets* targets_;
    std::vector<pipeline::PipelineManifest> manifests_;
    QComboBox* pipeline_;
    QLabel* description_;
    QComboBox* input_;
    QLabel* inputHelp_;
    QFormLayout* top_;
    OptionalInputRows* optional_{nullptr};  ///< owned (a child QObject); its rows are in top_
    ParameterForm* form_;
    QComboBox* target_;
    QComboBox* device_;
    QLineEdit* resultsRoot_;
    QPushButton* run_;
    QPushButton* cancel_;
    QProgressBar* progress_;
    QLabel* stage_;
    QLabel* time_;
    RunHistoryView* history_;
    QStringList datasetNames_, datasetPaths_, extraInputs_;
    /// The input to select when the pipeline changes: the dataset shown or the one last chosen (maybe not listed now).
    QString wantedInput_;
    QString lastInputDir_;
    bool remember_{false};
    /// The pipeline was chosen by the user (or restored from the last session): the inputs do not change it.
    bool pipelineChosen_{false};
};

} // namespace strata::ui

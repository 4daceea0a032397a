#pragma once

#include <strata/core/pipeline/PipelineManifest.h>

#include <QWidget>

#include <vector>

class QComboBox;
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
class PipelinePanel : public QWidget {
    Q_OBJECT
public:
    PipelinePanel(RunQueue* queue, RunTargets* targets, QWidget* parent = nullptr);

    /// Loaded datasets that can be inputs: display names and paths (current one selected).
    void setInputs(const QStringList& names, const QStringList& paths, int current);
    /// A file or folder that is not a dataset (chosen with the input's "..." button), listed after the open
    /// datasets (the last 8 are kept) and selected.
    void addExtraInput(const QString& path);
    /// Folder under which each run gets its own result folder.
    void setResultsRoot(const QString& folder);
    QString resultsRoot() const;
    /// Remember the choices in QSettings (off in tests and screenshot mode).
    void setRememberSettings(bool on);

    bool selectPipeline(const QString& id);
    QString currentPipelineId() const;
    ParameterForm* parameterForm() const { return form_; }
    QPushButton* runButton() const { return run_; }
    QPushButton* cancelButton() const { return cancel_; }
    QProgressBar* progressBar() const { return progress_; }
    QLabel* stageLabel() const { return stage_; }
    RunHistoryView* history() const { return history_; }

    /// Queues a run with the current choices. Returns its id, or -1 (and errorOccurred) when something is missing.
    int run();
    /// Cancels the running job.
    void cancelRunning();

Q_SIGNALS:
    void errorOccurred(const QString& title, const QString& message);
    void openResultRequested(const QString& bundleDir);

private:
    void rebuildTargets();

    void onPipelineChanged();
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
    QString lastInputDir_;
    bool remember_{false};
};

} // namespace strata::ui

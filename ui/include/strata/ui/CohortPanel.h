#pragma once

#include "strata/ui/CohortCaseStatus.h"

#include <strata/cohort/CohortRunner.h>
#include <strata/pipeline/PipelineManifest.h>

#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QWidget>

#include <memory>
#include <stop_token>
#include <vector>

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTableView;

namespace strata::ui {

class CohortModel;
class ParameterForm;
class RunProgressSink;
class RunTargets;

/// The cohort view: a manifest CSV (subject,timepoint,image[,labels]) or a folder of scans, a study folder, the
/// pipeline and its parameters and where it runs (the run targets of the Analysis panel: this workstation or a
/// server); Run runs every case with CohortRunner on a worker thread (bundles in <study>/<subject>/<timepoint>/,
/// cohort.csv, cohort_quality.csv, failures.csv, as strata-cli cohort), the table follows case by case (pending,
/// running with its percentage, done, skipped, failed with the reason, cancelled; quality control's verdict), the
/// progress bar the whole cohort, Cancel stops it (between or inside a case). A study made earlier (here, by the
/// CLI or a server) can be listed without running anything (openStudy). Double-click or Enter on a case with a
/// result asks to open it (openCaseRequested).
class CohortPanel : public QWidget {
    Q_OBJECT
public:
    explicit CohortPanel(RunTargets* targets, QWidget* parent = nullptr);
    ~CohortPanel() override;
    /// Edit > Preferences' device, selected when the target is this workstation.
    void applyDevicePreference(const QString& device);

    /// The manifest CSV or folder of scans; lists its cases as pending (errors go to the status line).
    void setManifest(const QString& csvOrFolder);
    QString manifest() const;
    void setStudyDir(const QString& folder);
    QString studyDir() const;
    bool selectPipeline(const QString& id);
    QString currentPipelineId() const;
    /// Remember the folders and choices in QSettings (off in tests and screenshot mode).
    void setRememberSettings(bool on);

    /// Starts the cohort on a worker thread. False (and errorOccurred) when it cannot start.
    bool run();
    /// Requests the stop: the running case stops within about a second, the rest are not started.
    void cancel();
    bool running() const { return running_; }
    /// Lists the cases of an existing study folder without running anything. False (and errorOccurred) on failure.
    bool openStudy(const QString& folder);
    /// Asks to open the result of a row's case (when it has one; otherwise says why not on the status line).
    void openCase(int row);

    /// File dialogs: a manifest CSV, a folder of scans, the study folder, a study to open.
    void chooseManifestFile();
    void chooseScanFolder();
    void chooseStudyDir();
    void chooseStudyToOpen();

    CohortModel* model() const { return model_; }
    QTableView* table() const { return table_; }
    ParameterForm* parameterForm() const { return form_; }
    QPushButton* runButton() const { return run_; }
    QPushButton* cancelButton() const { return cancel_; }
    QProgressBar* progressBar() const { return progress_; }
    QLabel* statusLabel() const { return status_; }
    QLineEdit* manifestEdit() const { return manifest_; }
    /// The last run's summary (empty before the first).
    const cohort::CohortSummary& lastSummary() const { return summary_; }

Q_SIGNALS:
    void errorOccurred(const QString& title, const QString& message);
    void openCaseRequested(const QString& bundleDir);
    void runStarted();
    /// A case's row changed state (ended).
    void caseFinished(int row);
    /// The run ended: finished, failed or cancelled.
    void runFinished();

private:
    struct Outcome {
        cohort::CohortSummary summary;
        QString error; ///< the cohort could not run at all
    };

    void rebuildTargets();
    void onTargetChanged();
    void onPipelineChanged();
    void preview();
    void onProgress(const pipeline::ProgressEvent& event);
    void onCaseEnded(std::size_t index, cohort::CaseOutcome::State state, const QString& message, const QString& verdict);
    void markRunning(int row);
    void onFinished();
    void updateButtons();
    /// Columns to their contents, with room for every state and verdict.
    void fitColumns();
    QString dialogDir() const;
    void rememberDir(const QString& path);
    void readSettings();
    void writeSettings();
    const pipeline::PipelineManifest* manifestOf() const;

    RunTargets* targets_;
    std::vector<pipeline::PipelineManifest> manifests_;
    CohortModel* model_;
    QLineEdit* manifest_;
    QLineEdit* study_;
    QComboBox* pipeline_;
    QComboBox* target_;
    QComboBox* device_;
    ParameterForm* form_;
    QWidget* setup_{nullptr}; ///< cases, study, pipeline, target, parameters: disabled while running
    QTableView* table_;
    QPushButton* run_;
    QPushButton* cancel_;
    QPushButton* open_;
    QProgressBar* progress_;
    QLabel* status_;

    bool running_{false};
    bool remember_{false};
    int runningRow_{-1};
    QString lastDir_;
    QElapsedTimer clock_;
    std::stop_source stop_;
    std::shared_ptr<pipeline::Executor> executor_;
    std::unique_ptr<RunProgressSink> sink_;
    QFutureWatcher<Outcome>* watcher_;
    cohort::CohortSummary summary_;
};

} // namespace strata::ui

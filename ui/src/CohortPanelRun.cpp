// CohortPanel: running a cohort — the worker thread, its progress and each case as it ends. The panel's layout,
// choices, study listing and settings are in CohortPanel.cpp.
#include "strata/ui/CohortPanel.h"

#include "strata/ui/CohortModel.h"
#include "strata/ui/CohortStudy.h"
#include "strata/ui/FsPath.h"
#include "strata/ui/ParameterForm.h"
#include "strata/ui/RunProgressSink.h"
#include "strata/ui/RunTargets.h"
#include "strata/ui/Preferences.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontMetrics>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <cmath>

namespace strata::ui {

namespace {

QString clock(qint64 ms)
{
    const qint64 s = (ms + 500) / 1000;
    return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

CohortCaseStatus::State uiState(cohort::CaseOutcome::State s)
{
    switch (s) {
    case cohort::CaseOutcome::State::Succeeded: return CohortCaseStatus::State::Done;
    case cohort::CaseOutcome::State::Skipped: return CohortCaseStatus::State::Skipped;
    case cohort::CaseOutcome::State::Failed: return CohortCaseStatus::State::Failed;
    case cohort::CaseOutcome::State::Cancelled: return CohortCaseStatus::State::Cancelled;
    }
    return CohortCaseStatus::State::Failed;
}

} // namespace

bool CohortPanel::run()
{
    if (running_) {
        return false;
    }
    const auto* m = manifestOf();
    const RunTarget* t = targets_->find(target_->currentData().toString());
    if (!m || !t) {
        Q_EMIT errorOccurred(tr("Cannot run the cohort"), tr("Choose a pipeline and where it runs."));
        return false;
    }
    if (manifest().isEmpty() || studyDir().isEmpty()) {
        Q_EMIT errorOccurred(tr("Cannot run the cohort"),
                             tr("Choose the cases (a manifest CSV or a folder of scans) and a study folder for the results."));
        return false;
    }
    std::vector<cohort::CohortCase> cases;
    try {
        cases = cohort::CohortManifest::read(fsPath(manifest()));
    } catch (const std::exception& e) {
        Q_EMIT errorOccurred(tr("Cannot read the cohort"), QString::fromUtf8(e.what()));
        return false;
    }
    if (!QDir().mkpath(studyDir())) {
        Q_EMIT errorOccurred(tr("Cannot run the cohort"), tr("The study folder \"%1\" cannot be created.").arg(studyDir()));
        return false;
    }
    try {
        executor_ = t->makeExecutor();
    } catch (const std::exception& e) {
        Q_EMIT errorOccurred(tr("Cannot run the cohort"), tr("%1 is not available: %2").arg(t->title, QString::fromUtf8(e.what())));
        return false;
    }
    cohort::CohortOptions options;
    options.pipeline = m->id;
    options.parameters = form_->values();
    options.device = device_->currentText().toStdString();
    options.threads = Preferences::load().threads; // Edit > Preferences
    options.outDir = fsPath(QFileInfo(studyDir()).absoluteFilePath());
    model_->setCases(CohortStudy::pending(cases, options.outDir));
    fitColumns();
    writeSettings();

    running_ = true;
    summary_ = {};
    stop_ = std::stop_source();
    clock_.start();
    progress_->setValue(0);
    status_->setText(tr("Running %1 cases with %2 on %3...").arg(cases.size()).arg(QString::fromStdString(m->title).section(QLatin1Char(':'), 0, 0), t->title));
    markRunning(0);
    sink_ = std::make_unique<RunProgressSink>(this, [this](const pipeline::ProgressEvent& e) { onProgress(e); });
    // Only plain data crosses threads: the observer hands each outcome to the GUI thread as a queued call.
    QPointer<CohortPanel> self(this);
    auto observer = [self, dir = options.outDir](std::size_t i, const cohort::CaseOutcome& o) {
        const QString verdict = CohortStudy::verdict(o.item.bundleDir(dir)); // read here, off the GUI thread
        const QString message = QString::fromStdString(o.message);
        const auto state = o.state;
        if (CohortPanel* p = self.data()) {
            QMetaObject::invokeMethod(p, [self, i, state, message, verdict] {
                if (self) {
                    self->onCaseEnded(i, state, message, verdict);
                }
            }, Qt::QueuedConnection);
        }
    };
    auto future = QtConcurrent::run([executor = executor_, options, cases = std::move(cases), sink = sink_.get(),
                                     token = stop_.get_token(), observer]() -> Outcome {
        Outcome out;
        try {
            cohort::CohortRunner runner(*executor, options);
            runner.setCaseObserver(observer);
            out.summary = runner.run(cases, *sink, token);
        } catch (const std::exception& e) {
            out.error = QString::fromUtf8(e.what());
        } catch (...) {
            out.error = QStringLiteral("Unknown error.");
        }
        return out;
    });
    watcher_->setFuture(future);
    updateButtons();
    Q_EMIT runStarted();
    return true;
}

void CohortPanel::cancel()
{
    if (!running_) {
        return;
    }
    stop_.request_stop();
    status_->setText(tr("Cancelling..."));
    cancel_->setEnabled(false);
}

void CohortPanel::markRunning(int row)
{
    runningRow_ = row;
    if (row < 0 || row >= model_->rowCount()) {
        return;
    }
    CohortCaseStatus c = model_->at(row);
    c.state = CohortCaseStatus::State::Running;
    c.progress = 0.0;
    c.message.clear();
    model_->setCase(row, std::move(c));
}

void CohortPanel::onProgress(const pipeline::ProgressEvent& e)
{
    if (!running_ || stop_.stop_requested()) {
        return;
    }
    progress_->setValue(static_cast<int>(std::lround(std::clamp(e.overall, 0.0, 1.0) * 1000)));
    // stageTitle: "case 2/3 s02/t0: Segmenting (3D U-Net)"; the row shows the stage and its detail without the case.
    const QString title = QString::fromStdString(e.stageTitle);
    const qsizetype colon = title.indexOf(QStringLiteral(": "));
    QString stage = colon >= 0 ? title.mid(colon + 2) : title;
    const QString detail = QString::fromStdString(e.message);
    if (!detail.isEmpty() && detail != stage) {
        stage += QStringLiteral(": ") + detail;
    }
    const QString text = (colon >= 0 ? title.left(colon + 2) : QString()) + stage;
    status_->setText(tr("%1   (%2 elapsed)").arg(text, clock(clock_.elapsed())));
    const int n = model_->rowCount();
    if (runningRow_ >= 0 && runningRow_ < n) {
        CohortCaseStatus c = model_->at(runningRow_);
        if (c.state == CohortCaseStatus::State::Running) {
            c.progress = std::clamp(e.overall * n - runningRow_, 0.0, 1.0);
            c.message = stage;
            model_->setCase(runningRow_, std::move(c));
        }
    }
}

void CohortPanel::onCaseEnded(std::size_t index, cohort::CaseOutcome::State state, const QString& message, const QString& verdict)
{
    const int row = static_cast<int>(index);
    if (row < 0 || row >= model_->rowCount()) {
        return;
    }
    CohortCaseStatus c = model_->at(row);
    c.state = uiState(state);
    c.progress = c.state == CohortCaseStatus::State::Done ? 1.0 : c.progress;
    c.message = message;
    c.verdict = verdict;
    model_->setCase(row, std::move(c));
    Q_EMIT caseFinished(row);
    if (state != cohort::CaseOutcome::State::Cancelled && !stop_.stop_requested()) {
        markRunning(row + 1);
    }
    updateButtons();
}

void CohortPanel::onFinished()
{
    const Outcome out = watcher_->result();
    running_ = false;
    summary_ = out.summary;
    sink_.reset(); // queued progress calls hold their own copy of the callback, which checks running_
    executor_.reset();
    // What the run did not reach: the running case cancelled (or not run when the cohort failed), the rest not started.
    for (int r = 0; r < model_->rowCount(); ++r) {
        CohortCaseStatus c = model_->at(r);
        if (c.state != CohortCaseStatus::State::Running && c.state != CohortCaseStatus::State::Pending) {
            continue;
        }
        if (!out.error.isEmpty()) {
            c.state = CohortCaseStatus::State::Pending;
            c.message = tr("Not run: %1").arg(out.error);
        } else {
            c.message = c.state == CohortCaseStatus::State::Running ? tr("Cancelled while running.")
                                                                    : tr("Not started: the cohort was cancelled.");
            c.state = CohortCaseStatus::State::Cancelled;
        }
        c.progress = 0.0;
        model_->setCase(r, std::move(c));
    }
    runningRow_ = -1;
    fitColumns();
    const QString took = clock(clock_.elapsed());
    if (!out.error.isEmpty()) {
        progress_->setValue(0);
        status_->setText(tr("The cohort could not run: %1").arg(out.error));
        Q_EMIT errorOccurred(tr("Cohort failed"), tr("The cohort could not run:\n\n%1").arg(out.error));
    } else {
        const auto& s = summary_;
        QString text = tr("%1 cases: %2 done, %3 skipped (finished earlier), %4 failed")
                           .arg(model_->rowCount()).arg(s.succeeded).arg(s.skipped).arg(s.failed);
        text += s.cancelled ? tr("; cancelled after %1.").arg(took) : tr(" in %1.").arg(took);
        text += tr(" Tables in %1: cohort.csv, cohort_quality.csv, failures.csv.").arg(QDir::toNativeSeparators(studyDir()));
        status_->setText(text);
        if (!s.cancelled) {
            progress_->setValue(1000);
        }
    }
    updateButtons();
    Q_EMIT runFinished();
}

} // namespace strata::ui

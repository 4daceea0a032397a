#include "strata/ui/PipelinePanel.h"

#include "strata/ui/RunChoiceCombos.h"

#include "strata/ui/FsPath.h"
#include "strata/ui/InputKind.h"
#include "strata/ui/OptionalInputRows.h"
#include "strata/ui/ParameterForm.h"
#include "strata/ui/RunHistoryView.h"
#include "strata/ui/RunQueue.h"
#include "strata/ui/Preferences.h"
#include "strata/ui/RunTargets.h"

#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <iterator>

namespace strata::ui {

namespace {
QString clock(double seconds)
{
    const int s = static_cast<int>(seconds + 0.5);
    return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}
} // namespace

PipelinePanel::PipelinePanel(RunQueue* queue, RunTargets* targets, QWidget* parent)
    : QWidget(parent), queue_(queue), targets_(targets), pipeline_(new QComboBox), description_(new QLabel),
      input_(new QComboBox), inputHelp_(new QLabel), form_(new ParameterForm), target_(new QComboBox),
      device_(new QComboBox), resultsRoot_(new QLineEdit), run_(new QPushButton(tr("Run"))),
      cancel_(new QPushButton(tr("Cancel"))), progress_(new QProgressBar), stage_(new QLabel), time_(new QLabel),
      history_(new RunHistoryView(queue))
{
    pipeline_->setObjectName(QStringLiteral("pipelineCombo"));
    input_->setObjectName(QStringLiteral("inputCombo"));
    target_->setObjectName(QStringLiteral("targetCombo"));
    device_->setObjectName(QStringLiteral("deviceCombo"));
    resultsRoot_->setObjectName(QStringLiteral("resultsRoot"));
    run_->setObjectName(QStringLiteral("runButton"));
    cancel_->setObjectName(QStringLiteral("cancelRunButton"));
    progress_->setObjectName(QStringLiteral("runProgress"));
    stage_->setObjectName(QStringLiteral("runStage"));
    history_->setObjectName(QStringLiteral("runHistory"));
    description_->setWordWrap(true);
    description_->setStyleSheet(QStringLiteral("color: palette(mid);"));
    inputHelp_->setWordWrap(true);
    inputHelp_->setStyleSheet(QStringLiteral("color: palette(mid);"));
    stage_->setWordWrap(true);
    run_->setToolTip(tr("Run the pipeline on the chosen input (Ctrl+R); runs queue up"));
    cancel_->setToolTip(tr("Cancel the running analysis (Esc)"));
    cancel_->setEnabled(false);
    progress_->setRange(0, 1000);
    progress_->setValue(0);
    progress_->setFormat(QStringLiteral("%p%"));

    auto* root = new QVBoxLayout(this);
    auto* top = top_ = new QFormLayout;
    top->addRow(tr("Pipeline"), pipeline_);
    top->addRow(description_);
    auto* inputRow = new QHBoxLayout;
    inputRow->addWidget(input_, 1);
    auto* pick = new QToolButton;
    pick->setObjectName(QStringLiteral("inputBrowse"));
    pick->setText(QStringLiteral("..."));
    pick->setToolTip(tr("Run on a file or a folder that is not open as a dataset (a folder of page images, a PDF, ...)"));
    pick->setPopupMode(QToolButton::InstantPopup);
    auto* pickMenu = new QMenu(pick);
    pickMenu->addAction(tr("File (image, multi-page TIFF, PDF, scan)..."), this, [this] {
        const QString f = QFileDialog::getOpenFileName(this, tr("Input file"), lastInputDir_);
        if (!f.isEmpty()) {
            addExtraInput(f);
        }
    });
    pickMenu->addAction(tr("Folder of images..."), this, [this] {
        const QString d = QFileDialog::getExistingDirectory(this, tr("Input folder"), lastInputDir_);
        if (!d.isEmpty()) {
            addExtraInput(d);
        }
    });
    pick->setMenu(pickMenu);
    inputRow->addWidget(pick);
    top->addRow(tr("Input"), inputRow);
    top->addRow(inputHelp_);
    root->addLayout(top);
    optional_ = new OptionalInputRows(this, top, inputHelp_, form_); // its rows go below the input help

    auto* params = new QGroupBox(tr("Parameters"));
    auto* pl = new QVBoxLayout(params);
    auto* scroll = new QScrollArea;
    scroll->setWidget(form_);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setMinimumHeight(120);
    pl->addWidget(scroll);
    auto* defaults = new QPushButton(tr("Defaults"));
    defaults->setToolTip(tr("Reset every parameter to the pipeline's default"));
    connect(defaults, &QPushButton::clicked, form_, &ParameterForm::resetToDefaults);
    pl->addWidget(defaults, 0, Qt::AlignRight);
    root->addWidget(params, 1);

    auto* where = new QFormLayout;
    auto* targetRow = new QHBoxLayout;
    targetRow->addWidget(target_, 1);
    targetRow->addWidget(device_);
    where->addRow(tr("Runs on"), targetRow);
    auto* folderRow = new QHBoxLayout;
    folderRow->addWidget(resultsRoot_, 1);
    auto* browse = new QToolButton;
    browse->setText(QStringLiteral("..."));
    browse->setToolTip(tr("Choose the folder that receives the result folders"));
    connect(browse, &QToolButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Results folder"), resultsRoot());
        if (!dir.isEmpty()) {
            setResultsRoot(dir);
        }
    });
    folderRow->addWidget(browse);
    where->addRow(tr("Results in"), folderRow);
    root->addLayout(where);

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(run_, 1);
    buttons->addWidget(cancel_);
    root->addLayout(buttons);
    root->addWidget(progress_);
    auto* status = new QHBoxLayout;
    status->addWidget(stage_, 1);
    status->addWidget(time_);
    root->addLayout(status);
    root->addWidget(new QLabel(tr("Run history (double-click a finished run to open it)")));
    history_->setMinimumHeight(90);
    root->addWidget(history_, 1);

    setResultsRoot(QDir::homePath() + QStringLiteral("/strata-results"));
    rebuildTargets();
    connect(targets_, &RunTargets::targetsChanged, this, &PipelinePanel::rebuildTargets);
    connect(pipeline_, &QComboBox::currentIndexChanged, this, &PipelinePanel::onPipelineChanged);
    connect(pipeline_, &QComboBox::activated, this, [this] { pipelineChosen_ = true; });
    connect(input_, &QComboBox::currentIndexChanged, this, [this] { optional_->setInput(input_->currentData().toString()); });
    connect(input_, &QComboBox::activated, this, [this] { wantedInput_ = input_->currentData().toString(); });
    connect(target_, &QComboBox::currentIndexChanged, this, &PipelinePanel::onTargetChanged);
    connect(run_, &QPushButton::clicked, this, [this] { run(); });
    connect(cancel_, &QPushButton::clicked, this, &PipelinePanel::cancelRunning);
    connect(queue_, &RunQueue::jobChanged, this, &PipelinePanel::onJobChanged);
    connect(history_, &RunHistoryView::openResultRequested, this, &PipelinePanel::openResultRequested);
    onTargetChanged();
}

void PipelinePanel::rebuildTargets()
{
    fillTargetCombo(target_, *targets_);
    onTargetChanged();
}

void PipelinePanel::onTargetChanged()
{
    const RunTarget* t = targets_->find(target_->currentData().toString());
    device_->clear();
    if (!t) {
        return;
    }
    device_->addItems(t->devices);
    selectPreferredDevice(device_, t->id, Preferences::load().device); // Edit > Preferences
    try {
        manifests_ = t->makeExecutor()->pipelines();
    } catch (const std::exception& e) {
        manifests_.clear();
        Q_EMIT errorOccurred(tr("Cannot list pipelines"), tr("%1 did not answer: %2").arg(t->title, QString::fromUtf8(e.what())));
    }
    fillPipelineCombo(pipeline_, manifests_);
    onPipelineChanged();
}

const pipeline::PipelineManifest* PipelinePanel::manifest() const
{
    const int i = pipeline_->currentIndex();
    return i >= 0 && i < static_cast<int>(manifests_.size()) ? &manifests_[static_cast<std::size_t>(i)] : nullptr;
}

void PipelinePanel::onPipelineChanged()
{
    const auto* m = manifest();
    if (!m) {
        description_->clear();
        form_->setParameters({});
        optional_->setPipeline(nullptr, false);
        return;
    }
    description_->setText(QString::fromStdString(m->description));
    QStringList needs; // the optional inputs have their own rows, with their help as tooltips
    for (std::size_t i = 0; i < m->inputs.size(); ++i) {
        const auto& in = m->inputs[i];
        if (i == 0 || !in.optional) {
            needs << QStringLiteral("%1: %2").arg(QString::fromStdString(in.name), QString::fromStdString(in.help));
        }
    }
    inputHelp_->setText(tr("Needs %1").arg(needs.join(QStringLiteral("; "))));
    form_->setParameters(m->parameters);
    optional_->setPipeline(m, remember_);
    refillInputs(wantedInput_); // the dataset shown or the input last chosen, when this pipeline takes it
    if (remember_) {
        const QString stored = QSettings().value(QStringLiteral("pipelines/%1/parameters").arg(QString::fromStdString(m->id))).toString();
        if (!stored.isEmpty()) {
            form_->setValues(nlohmann::json::parse(stored.toStdString(), nullptr, false));
        }
    }
}

bool PipelinePanel::selectPipeline(const QString& id)
{
    if (!showPipeline(id)) return false;
    pipelineChosen_ = true; // chosen from outside (a menu action, a script, a test): the inputs no longer change it
    return true;
}

bool PipelinePanel::showPipeline(const QString& id)
{
    const int i = pipeline_->findData(id);
    if (i < 0) {
        return false;
    }
    pipeline_->setCurrentIndex(i);
    return true;
}

QString PipelinePanel::currentPipelineId() const { return pipeline_->currentData().toString(); }

void PipelinePanel::setInputs(const QStringList& names, const QStringList& paths, int current)
{
    const QString previous = input_->currentData().toString();
    datasetNames_ = names;
    datasetPaths_ = paths;
    QString wanted = current >= 0 && current < paths.size() ? paths[current] : previous;
    if (wanted.isEmpty() && !paths.isEmpty()) wanted = paths.front();
    // Until a pipeline is chosen, the one that fits the shown data: a 3D scan (NIfTI, NRRD, MetaImage, a DICOM
    // folder) is analysed as a knee; pictures and videos keep the first pipeline.
    if (!pipelineChosen_ && inputKind(wanted) == InputKind::Volume) {
        showPipeline(QStringLiteral("knee-mri"));
    }
    refillInputs(wanted);
}

void PipelinePanel::refillInputs(const QString& wanted, bool keepWanted)
{
    wantedInput_ = wanted;
    // Only the inputs the pipeline takes: a scan is not offered to image classification, nor a folder of pictures
    // to the knee analysis. A file just chosen with "..." stays (the run then says what is wrong with it).
    const auto* m = manifest();
    const std::string type = m && !m->inputs.empty() ? m->inputs.front().type : std::string();
    const auto fits = [&](const QString& p) { return (keepWanted && p == wanted) || inputFits(inputKind(p), type); };
    input_->clear();
    int hidden = 0;
    for (int i = 0; i < datasetNames_.size() && i < datasetPaths_.size(); ++i) {
        if (!fits(datasetPaths_[i])) {
            ++hidden;
            continue;
        }
        input_->addItem(datasetNames_[i], datasetPaths_[i]);
        input_->setItemData(input_->count() - 1, datasetPaths_[i], Qt::ToolTipRole);
    }
    for (const QString& extra : extraInputs_) {
        if (datasetPaths_.contains(extra)) continue;
        if (!fits(extra)) {
            ++hidden;
            continue;
        }
        input_->addItem(QFileInfo(extra).fileName() + (QFileInfo(extra).isDir() ? QStringLiteral("/") : QString()), extra);
        input_->setItemData(input_->count() - 1, extra, Qt::ToolTipRole);
    }
    const int sel = input_->findData(wanted);
    input_->setCurrentIndex(sel >= 0 ? sel : 0);
    input_->setPlaceholderText(hidden > 0 ? tr("nothing open fits this pipeline") : tr("open an image first"));
    input_->setToolTip(hidden > 0 ? tr("%n open input(s) of another kind not listed: this pipeline takes %1", nullptr, hidden)
                                        .arg(m && !m->inputs.empty() ? QString::fromStdString(m->inputs.front().help) : QString())
                                  : QString());
}

void PipelinePanel::addExtraInput(const QString& path)
{
    const QString abs = QFileInfo(path).absoluteFilePath();
    lastInputDir_ = QFileInfo(abs).absolutePath();
    optional_->setBrowseDir(lastInputDir_);
    extraInputs_.removeAll(abs);
    extraInputs_.prepend(abs);
    while (extraInputs_.size() > 8) {
        extraInputs_.removeLast();
    }
    refillInputs(abs, true);
}

void PipelinePanel::setResultsRoot(const QString& folder) { resultsRoot_->setText(QDir::toNativeSeparators(folder)); }

QString PipelinePanel::resultsRoot() const { return QDir::fromNativeSeparators(resultsRoot_->text().trimmed()); }

std::optional<RunJob> PipelinePanel::prepareRun()
{
    const auto* m = manifest();
    const RunTarget* t = targets_->find(target_->currentData().toString());
    if (!m || !t) {
        Q_EMIT errorOccurred(tr("Cannot run"), tr("Choose a pipeline and where it runs."));
        return std::nullopt;
    }
    const QString inputPath = input_->currentData().toString();
    if (inputPath.isEmpty() && !m->inputs.empty() && !datasetPaths_.isEmpty()) {
        Q_EMIT errorOccurred(tr("No input"), tr("Nothing open fits %1: it takes %2.")
                                                 .arg(QString::fromStdString(m->title), QString::fromStdString(m->inputs.front().help)));
        return std::nullopt;
    }
    if (inputPath.isEmpty() || m->inputs.empty()) {
        Q_EMIT errorOccurred(tr("No input"), tr("Open an image first (File > Open); the pipeline runs on the dataset chosen under Input."));
        return std::nullopt;
    }
    if (resultsRoot().isEmpty() || !QDir().mkpath(resultsRoot())) {
        Q_EMIT errorOccurred(tr("Cannot run"), tr("The results folder \"%1\" cannot be created.").arg(resultsRoot()));
        return std::nullopt;
    }
    RunJob job;
    job.request.pipeline = m->id;
    job.request.inputs[m->inputs.front().name] = fsPath(inputPath);
    job.inputName = input_->currentText();
    // Optional inputs: only those given enter the request (none given: the same request as before they existed).
    for (const auto& given : optional_->given()) {
        if (!QFileInfo::exists(given.path)) {
            Q_EMIT errorOccurred(tr("Cannot run"), tr("%1: \"%2\" does not exist.").arg(given.title, given.path));
            return std::nullopt;
        }
        job.request.inputs[given.name] = fsPath(given.path);
        job.inputName += QStringLiteral(" + ") + QFileInfo(given.path).fileName();
    }
    job.request.parameters = form_->values();
    job.request.device = device_->currentText().toStdString();
    job.request.threads = Preferences::load().threads; // Edit > Preferences
    QString stem = QFileInfo(inputPath).fileName();
    for (const QString& ext : {QStringLiteral(".nii.gz"), QStringLiteral(".nii"), QStringLiteral(".nrrd"), QStringLiteral(".mha")}) {
        if (stem.endsWith(ext)) {
            stem.chop(ext.size());
        }
    }
    if (stem == QStringLiteral("image")) { // knee phantoms: name the run after the folder
        stem = QFileInfo(QFileInfo(inputPath).absolutePath()).fileName();
    }
    QString out = QStringLiteral("%1/%2-%3-%4").arg(resultsRoot(), stem, QString::fromStdString(m->id),
                                                    QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")));
    for (int n = 2; QFileInfo::exists(out); ++n) {
        out = out.section(QLatin1Char('~'), 0, 0) + QStringLiteral("~%1").arg(n);
    }
    job.request.outputDir = fsPath(out);
    job.pipelineTitle = QString::fromStdString(m->title).section(QLatin1Char(':'), 0, 0);
    job.targetId = t->id;
    job.targetTitle = t->title;
    return job;
}

int PipelinePanel::run()
{
    std::optional<RunJob> job = prepareRun();
    if (!job) {
        return -1;
    }
    const RunTarget* t = targets_->find(job->targetId);
    std::shared_ptr<pipeline::Executor> executor;
    try {
        executor = t->makeExecutor();
    } catch (const std::exception& e) {
        Q_EMIT errorOccurred(tr("Cannot run"), tr("%1 is not available: %2").arg(t->title, QString::fromUtf8(e.what())));
        return -1;
    }
    writeSettings();
    return queue_->enqueue(std::move(*job), std::move(executor));
}

void PipelinePanel::cancelRunning()
{
    if (queue_->runningId() >= 0) {
        queue_->cancel(queue_->runningId());
    }
}

void PipelinePanel::onJobChanged(int id)
{
    const RunJob* j = queue_->job(id);
    if (!j) {
        return;
    }
    const bool running = queue_->runningId() >= 0;
    cancel_->setEnabled(running);
    if (j->state == RunJob::State::Running) {
        progress_->setValue(static_cast<int>(j->progress * 1000));
        stage_->setText(j->stage);
        const double elapsed = j->durationSeconds();
        QString t = tr("%1 elapsed").arg(clock(elapsed));
        if (j->progress > 0.03 && j->progress < 1.0) {
            t += tr(", about %1 left").arg(clock(elapsed * (1.0 - j->progress) / j->progress));
        }
        time_->setText(t);
    } else if (j->finished() && !running) {
        progress_->setValue(j->state == RunJob::State::Succeeded ? 1000 : 0);
        stage_->setText(tr("Run %1 %2 after %3.").arg(id).arg(RunJob::stateName(j->state), clock(j->durationSeconds())));
        time_->clear();
    }
}

void PipelinePanel::setRememberSettings(bool on)
{
    remember_ = on;
    if (on) {
        readSettings();
    }
}

void PipelinePanel::setLabelOverlays(std::vector<LabelOverlay> overlays) { optional_->setLabelOverlays(std::move(overlays)); }

bool PipelinePanel::setOptionalInput(const QString& name, const QString& path) { return optional_->set(name, path); }

QString PipelinePanel::optionalInput(const QString& name) const { return optional_->value(name); }

void PipelinePanel::readSettings()
{
    QSettings s;
    const QString root = s.value(QStringLiteral("pipelines/resultsRoot")).toString();
    if (!root.isEmpty()) {
        setResultsRoot(root);
    }
    const int t = target_->findData(s.value(QStringLiteral("pipelines/target")).toString());
    if (t >= 0) {
        target_->setCurrentIndex(t);
    }
    pipelineChosen_ = showPipeline(s.value(QStringLiteral("pipelines/last")).toString()) || pipelineChosen_;
    optional_->readSettings();
    const int d = device_->findText(s.value(QStringLiteral("pipelines/device")).toString());
    if (d >= 0) {
        device_->setCurrentIndex(d);
    }
}

void PipelinePanel::writeSettings()
{
    if (!remember_) {
        return;
    }
    QSettings s;
    s.setValue(QStringLiteral("pipelines/resultsRoot"), resultsRoot());
    s.setValue(QStringLiteral("pipelines/target"), target_->currentData());
    s.setValue(QStringLiteral("pipelines/device"), device_->currentText());
    s.setValue(QStringLiteral("pipelines/last"), currentPipelineId());
    s.setValue(QStringLiteral("pipelines/%1/parameters").arg(currentPipelineId()), QString::fromStdString(form_->values().dump()));
    optional_->writeSettings(s);
}

void PipelinePanel::applyDevicePreference(const QString& device)
{
    selectPreferredDevice(device_, target_->currentData().toString(), device);
}

} // namespace strata::ui

#include "strata/ui/CohortPanel.h"

#include "strata/ui/Preferences.h"
#include "strata/ui/RunChoiceCombos.h"

#include "strata/ui/CohortModel.h"
#include "strata/ui/CohortStudy.h"
#include "strata/ui/FsPath.h"
#include "strata/ui/ParameterForm.h"
#include "strata/ui/RunProgressSink.h"
#include "strata/ui/RunTargets.h"

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

CohortPanel::CohortPanel(RunTargets* targets, QWidget* parent)
    : QWidget(parent), targets_(targets), model_(new CohortModel(this)), manifest_(new QLineEdit), study_(new QLineEdit),
      pipeline_(new QComboBox), target_(new QComboBox), device_(new QComboBox), form_(new ParameterForm),
      table_(new QTableView), run_(new QPushButton(tr("Run cohort"))), cancel_(new QPushButton(tr("Cancel"))),
      open_(new QPushButton(tr("Open case"))), progress_(new QProgressBar), status_(new QLabel),
      watcher_(new QFutureWatcher<Outcome>(this))
{
    manifest_->setObjectName(QStringLiteral("cohortManifest"));
    study_->setObjectName(QStringLiteral("cohortStudy"));
    pipeline_->setObjectName(QStringLiteral("cohortPipeline"));
    target_->setObjectName(QStringLiteral("cohortTarget"));
    device_->setObjectName(QStringLiteral("cohortDevice"));
    table_->setObjectName(QStringLiteral("cohortTable"));
    run_->setObjectName(QStringLiteral("cohortRun"));
    cancel_->setObjectName(QStringLiteral("cohortCancel"));
    open_->setObjectName(QStringLiteral("cohortOpenCase"));
    progress_->setObjectName(QStringLiteral("cohortProgress"));
    status_->setObjectName(QStringLiteral("cohortStatus"));
    manifest_->setPlaceholderText(tr("cohort.csv (subject,timepoint,image[,labels]) or a folder of scans"));
    manifest_->setToolTip(tr("A CSV with the columns subject, timepoint, image and optionally labels (paths relative to the "
                             "CSV), or a folder: one case per scan in it"));
    study_->setPlaceholderText(tr("folder for <subject>/<timepoint>/ results and the cohort tables"));
    study_->setToolTip(tr("Each case's result goes to <folder>/<subject>/<timepoint>/; cohort.csv, cohort_quality.csv and "
                          "failures.csv beside them. Cases finished there earlier are skipped."));
    run_->setToolTip(tr("Run the pipeline on every case; a failing case does not stop the others"));
    cancel_->setToolTip(tr("Stop the cohort: the running case stops, the rest are not started (Run resumes)"));
    open_->setToolTip(tr("Open the selected case's result in the viewer (double-click or Enter)"));
    progress_->setRange(0, 1000);
    progress_->setValue(0);
    progress_->setFormat(QStringLiteral("%p%"));
    status_->setWordWrap(true);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);

    // Left: what runs where. Right: the cases.
    auto* setup = setup_ = new QWidget;
    auto* left = new QVBoxLayout(setup);
    left->setContentsMargins(0, 0, 0, 0);
    auto* top = new QFormLayout;
    auto* manifestRow = new QHBoxLayout;
    manifestRow->addWidget(manifest_, 1);
    auto* pick = new QToolButton;
    pick->setObjectName(QStringLiteral("cohortManifestBrowse"));
    pick->setText(QStringLiteral("..."));
    pick->setToolTip(tr("Choose a manifest CSV or a folder of scans"));
    pick->setPopupMode(QToolButton::InstantPopup);
    auto* pickMenu = new QMenu(pick);
    pickMenu->addAction(tr("Manifest CSV..."), this, &CohortPanel::chooseManifestFile);
    pickMenu->addAction(tr("Folder of scans..."), this, &CohortPanel::chooseScanFolder);
    pick->setMenu(pickMenu);
    manifestRow->addWidget(pick);
    top->addRow(tr("Cases"), manifestRow);
    auto* studyRow = new QHBoxLayout;
    studyRow->addWidget(study_, 1);
    auto* browse = new QToolButton;
    browse->setText(QStringLiteral("..."));
    browse->setToolTip(tr("Choose the study folder"));
    connect(browse, &QToolButton::clicked, this, &CohortPanel::chooseStudyDir);
    studyRow->addWidget(browse);
    top->addRow(tr("Study folder"), studyRow);
    top->addRow(tr("Pipeline"), pipeline_);
    auto* targetRow = new QHBoxLayout;
    targetRow->addWidget(target_, 1);
    targetRow->addWidget(device_);
    top->addRow(tr("Runs on"), targetRow);
    left->addLayout(top);
    auto* params = new QGroupBox(tr("Parameters"));
    auto* pl = new QVBoxLayout(params);
    pl->setContentsMargins(4, 4, 4, 4);
    auto* scroll = new QScrollArea;
    scroll->setWidget(form_);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    pl->addWidget(scroll);
    auto* defaults = new QPushButton(tr("Defaults"));
    defaults->setToolTip(tr("Reset every parameter to the pipeline's default"));
    connect(defaults, &QPushButton::clicked, form_, &ParameterForm::resetToDefaults);
    pl->addWidget(defaults, 0, Qt::AlignRight);
    left->addWidget(params, 1);

    auto* cases = new QWidget;
    auto* right = new QVBoxLayout(cases);
    right->setContentsMargins(0, 0, 0, 0);
    table_->setModel(model_);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setAlternatingRowColors(true);
    table_->verticalHeader()->hide();
    table_->verticalHeader()->setDefaultSectionSize(table_->fontMetrics().height() + 8);
    table_->setWordWrap(false);
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    right->addWidget(table_, 1);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(progress_, 1);
    buttons->addWidget(run_);
    buttons->addWidget(cancel_);
    buttons->addWidget(open_);
    right->addLayout(buttons);
    right->addWidget(status_);

    auto* split = new QSplitter(Qt::Horizontal);
    split->addWidget(setup);
    split->addWidget(cases);
    split->setStretchFactor(0, 0);
    split->setStretchFactor(1, 1);
    split->setSizes({360, 840});
    auto* root = new QVBoxLayout(this);
    root->setContentsMargins(4, 4, 4, 4);
    root->addWidget(split);

    rebuildTargets();
    selectPipeline(QStringLiteral("knee-mri"));
    connect(targets_, &RunTargets::targetsChanged, this, &CohortPanel::rebuildTargets);
    connect(target_, &QComboBox::currentIndexChanged, this, &CohortPanel::onTargetChanged);
    connect(pipeline_, &QComboBox::currentIndexChanged, this, &CohortPanel::onPipelineChanged);
    connect(manifest_, &QLineEdit::editingFinished, this, &CohortPanel::preview);
    connect(study_, &QLineEdit::editingFinished, this, &CohortPanel::preview);
    connect(run_, &QPushButton::clicked, this, [this] { run(); });
    connect(cancel_, &QPushButton::clicked, this, &CohortPanel::cancel);
    connect(open_, &QPushButton::clicked, this, [this] { openCase(table_->currentIndex().row()); });
    connect(table_, &QTableView::activated, this, [this](const QModelIndex& i) { openCase(i.row()); }); // double-click, Enter
    connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &CohortPanel::updateButtons);
    connect(watcher_, &QFutureWatcherBase::finished, this, &CohortPanel::onFinished);
    status_->setText(tr("Choose the cases (a manifest CSV or a folder of scans) and a study folder, then Run cohort; "
                        "Analysis > Open cohort results... lists a study made earlier."));
    updateButtons();
}

CohortPanel::~CohortPanel()
{
    stop_.request_stop();
    if (running_) {
        watcher_->waitForFinished();
    }
}

void CohortPanel::rebuildTargets()
{
    fillTargetCombo(target_, *targets_);
    onTargetChanged();
}

void CohortPanel::onTargetChanged()
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
        status_->setText(tr("%1 did not answer: %2").arg(t->title, QString::fromUtf8(e.what())));
    }
    fillPipelineCombo(pipeline_, manifests_);
    onPipelineChanged();
}

const pipeline::PipelineManifest* CohortPanel::manifestOf() const
{
    const int i = pipeline_->currentIndex();
    return i >= 0 && i < static_cast<int>(manifests_.size()) ? &manifests_[static_cast<std::size_t>(i)] : nullptr;
}

void CohortPanel::onPipelineChanged()
{
    const auto* m = manifestOf();
    form_->setParameters(m ? m->parameters : std::vector<pipeline::ParameterSpec>{});
    if (m && remember_) {
        const QString stored = QSettings().value(QStringLiteral("cohort/%1/parameters").arg(QString::fromStdString(m->id))).toString();
        if (!stored.isEmpty()) {
            form_->setValues(nlohmann::json::parse(stored.toStdString(), nullptr, false));
        }
    }
}

bool CohortPanel::selectPipeline(const QString& id)
{
    const int i = pipeline_->findData(id);
    if (i < 0) {
        return false;
    }
    pipeline_->setCurrentIndex(i);
    return true;
}

QString CohortPanel::currentPipelineId() const { return pipeline_->currentData().toString(); }

void CohortPanel::setManifest(const QString& csvOrFolder)
{
    manifest_->setText(QDir::toNativeSeparators(csvOrFolder));
    if (study_->text().trimmed().isEmpty() && !csvOrFolder.isEmpty()) { // a suggestion beside the cases
        const QFileInfo fi(csvOrFolder);
        setStudyDir(fi.isDir() ? fi.absoluteFilePath() + QStringLiteral("-study") : fi.absolutePath() + QStringLiteral("/study"));
    }
    preview();
}

QString CohortPanel::manifest() const { return QDir::fromNativeSeparators(manifest_->text().trimmed()); }

void CohortPanel::setStudyDir(const QString& folder)
{
    study_->setText(QDir::toNativeSeparators(folder));
}

QString CohortPanel::studyDir() const { return QDir::fromNativeSeparators(study_->text().trimmed()); }

void CohortPanel::preview()
{
    if (running_ || manifest().isEmpty()) {
        return;
    }
    try {
        const auto cases = cohort::CohortManifest::read(fsPath(manifest()));
        auto rows = CohortStudy::pending(cases, fsPath(studyDir()));
        int earlier = 0;
        for (auto& r : rows) {
            if (!studyDir().isEmpty() && cohort::CohortRunner::finished(fsPath(r.bundleDir))) {
                r.message = tr("finished earlier: will be skipped");
                r.verdict = CohortStudy::verdict(fsPath(r.bundleDir));
                ++earlier;
            }
        }
        model_->setCases(std::move(rows));
        fitColumns();
        progress_->setValue(0);
        status_->setText(earlier > 0 ? tr("%1 cases, %2 of them finished earlier (skipped by Run).").arg(model_->rowCount()).arg(earlier)
                                     : tr("%1 cases.").arg(model_->rowCount()));
    } catch (const std::exception& e) {
        model_->setCases({});
        status_->setText(QString::fromUtf8(e.what()));
    }
    updateButtons();
}

bool CohortPanel::openStudy(const QString& folder)
{
    if (running_) {
        Q_EMIT errorOccurred(tr("Cohort running"), tr("Cancel the running cohort or wait for it before opening another study."));
        return false;
    }
    try {
        auto rows = CohortStudy::list(fsPath(folder));
        setStudyDir(folder);
        model_->setCases(std::move(rows));
    } catch (const std::exception& e) {
        Q_EMIT errorOccurred(tr("Cannot open the cohort results"), QString::fromUtf8(e.what()));
        return false;
    }
    fitColumns();
    rememberDir(folder);
    writeSettings();
    progress_->setValue(0);
    status_->setText(tr("Study %1: %2 cases, %3 done, %4 failed. Double-click a case to open it.")
                         .arg(QDir::toNativeSeparators(folder))
                         .arg(model_->rowCount())
                         .arg(model_->count(CohortCaseStatus::State::Done))
                         .arg(model_->count(CohortCaseStatus::State::Failed)));
    updateButtons();
    return true;
}

void CohortPanel::openCase(int row)
{
    if (row < 0 || row >= model_->rowCount()) {
        return;
    }
    const CohortCaseStatus& c = model_->at(row);
    if (c.state == CohortCaseStatus::State::Running || !c.hasBundle()) {
        status_->setText(tr("%1/%2 has no result to open (%3)%4")
                             .arg(c.subject, c.timepoint, c.stateText(), c.message.isEmpty() ? QStringLiteral(".") : QStringLiteral(": ") + c.message));
        return;
    }
    Q_EMIT openCaseRequested(c.bundleDir);
}

void CohortPanel::updateButtons()
{
    run_->setEnabled(!running_);
    cancel_->setEnabled(running_ && !stop_.stop_requested());
    const int row = table_->currentIndex().row();
    open_->setEnabled(row >= 0 && row < model_->rowCount() && model_->at(row).state != CohortCaseStatus::State::Running &&
                      model_->at(row).hasBundle());
    setup_->setEnabled(!running_);
}

void CohortPanel::fitColumns()
{
    table_->resizeColumnsToContents();
    // Room for the states and verdicts a run will show, and no path wider than a third of the table.
    const QFontMetrics fm = table_->fontMetrics();
    const int pad = 2 * fm.horizontalAdvance(QLatin1Char('M'));
    table_->setColumnWidth(CohortModel::StateColumn,
                           std::max(table_->columnWidth(CohortModel::StateColumn), fm.horizontalAdvance(tr("running 100 %")) + pad));
    table_->setColumnWidth(CohortModel::Verdict,
                           std::max(table_->columnWidth(CohortModel::Verdict), fm.horizontalAdvance(QStringLiteral("uncertain")) + pad));
    table_->setColumnWidth(CohortModel::ImageColumn,
                           std::min(table_->columnWidth(CohortModel::ImageColumn), std::max(320, table_->viewport()->width() / 3)));
}

QString CohortPanel::dialogDir() const
{
    if (!lastDir_.isEmpty()) {
        return lastDir_;
    }
    return manifest().isEmpty() ? QDir::homePath() : QFileInfo(manifest()).absolutePath();
}

void CohortPanel::rememberDir(const QString& path)
{
    lastDir_ = QFileInfo(path).absolutePath(); // a file's folder, or a folder's parent
    if (remember_) {
        QSettings().setValue(QStringLiteral("cohort/lastDir"), lastDir_);
    }
}

void CohortPanel::chooseManifestFile()
{
    const QString f = QFileDialog::getOpenFileName(this, tr("Cohort manifest"), dialogDir(),
                                                   tr("CSV manifests (*.csv);;All files (*)"));
    if (!f.isEmpty()) {
        rememberDir(f);
        setManifest(f);
    }
}

void CohortPanel::chooseScanFolder()
{
    const QString d = QFileDialog::getExistingDirectory(this, tr("Folder of scans (one case each)"), dialogDir());
    if (!d.isEmpty()) {
        rememberDir(d);
        setManifest(d);
    }
}

void CohortPanel::chooseStudyDir()
{
    const QString d = QFileDialog::getExistingDirectory(this, tr("Study folder"), studyDir().isEmpty() ? dialogDir() : studyDir());
    if (!d.isEmpty()) {
        setStudyDir(d);
        preview();
    }
}

void CohortPanel::chooseStudyToOpen()
{
    const QString d = QFileDialog::getExistingDirectory(this, tr("Open cohort results (a study folder)"),
                                                        studyDir().isEmpty() ? dialogDir() : studyDir());
    if (!d.isEmpty()) {
        openStudy(d);
    }
}

void CohortPanel::setRememberSettings(bool on)
{
    remember_ = on;
    if (on) {
        readSettings();
    }
}

void CohortPanel::readSettings()
{
    QSettings s;
    lastDir_ = s.value(QStringLiteral("cohort/lastDir")).toString();
    const int t = target_->findData(s.value(QStringLiteral("cohort/target")).toString());
    if (t >= 0) {
        target_->setCurrentIndex(t);
    }
    const QString pipeline = s.value(QStringLiteral("cohort/pipeline")).toString();
    if (!pipeline.isEmpty()) {
        selectPipeline(pipeline);
    }
    onPipelineChanged(); // the stored parameters
    const int d = device_->findText(s.value(QStringLiteral("cohort/device")).toString());
    if (d >= 0) {
        device_->setCurrentIndex(d);
    }
    setStudyDir(s.value(QStringLiteral("cohort/studyDir")).toString());
    manifest_->setText(QDir::toNativeSeparators(s.value(QStringLiteral("cohort/manifest")).toString()));
    preview(); // the last cohort's cases, those finished marked
}

void CohortPanel::writeSettings()
{
    if (!remember_) {
        return;
    }
    QSettings s;
    s.setValue(QStringLiteral("cohort/manifest"), manifest());
    s.setValue(QStringLiteral("cohort/studyDir"), studyDir());
    s.setValue(QStringLiteral("cohort/target"), target_->currentData());
    s.setValue(QStringLiteral("cohort/device"), device_->currentText());
    s.setValue(QStringLiteral("cohort/pipeline"), currentPipelineId());
    s.setValue(QStringLiteral("cohort/%1/parameters").arg(currentPipelineId()), QString::fromStdString(form_->values().dump()));
    if (!lastDir_.isEmpty()) {
        s.setValue(QStringLiteral("cohort/lastDir"), lastDir_);
    }
}

void CohortPanel::applyDevicePreference(const QString& device)
{
    selectPreferredDevice(device_, target_->currentData().toString(), device);
}

} // namespace strata::ui

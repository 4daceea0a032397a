#include "strata/ui/CompareTimepointsWindow.h"

#include "strata/ui/ExportService.h"
#include "strata/ui/FsPath.h"
#include "strata/ui/ReportSnapshots.h"
#include "strata/ui/ResultTableView.h"
#include "strata/ui/SliceView.h"
#include "strata/ui/ViewerState.h"

#include <strata/Error.h>

#include <QComboBox>
#include <QDesktopServices>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QUrl>
#include <QVBoxLayout>

#include <cmath>

namespace strata::ui {

namespace {

/// A view with its caption above it.
QWidget* captioned(const QString& caption, QWidget* view)
{
    auto* box = new QWidget;
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    auto* label = new QLabel(caption);
    label->setStyleSheet(QStringLiteral("font-weight: bold"));
    layout->addWidget(label);
    layout->addWidget(view, 1);
    return box;
}

ViewerState::Index indexOf(const Image& image, const Vec3& world)
{
    const Vec3 i = image.worldToIndex(world);
    return {int(std::lround(i[0])), int(std::lround(i[1])), int(std::lround(i[2]))};
}

} // namespace

CompareTimepointsWindow::CompareTimepointsWindow(TimepointCompare compare, QWidget* parent)
    : QWidget(parent, Qt::Window), compare_(std::move(compare)), baseline_(new ViewerState(this)), followup_(new ViewerState(this)),
      views_(new QStackedWidget), plane_(new QComboBox), verdict_(new QLabel), tables_(new QTabWidget)
{
    setObjectName(QStringLiteral("compareTimepointsWindow"));
    const QString baseName = QString::fromStdString(compare_.baseline->name);
    const QString followName = QString::fromStdString(compare_.followup->name);
    setWindowTitle(tr("Compare timepoints: %1 -> %2").arg(baseName, followName));

    // One pair of views per plane (views follow their state's dataset from when they exist), one pair shown.
    for (const ViewPlane p : kViewPlanes) {
        auto* page = new QWidget;
        auto* row = new QHBoxLayout(page);
        row->setContentsMargins(0, 0, 0, 0);
        auto* b = new SliceView(p, baseline_);
        auto* f = new SliceView(p, followup_);
        b->setObjectName(QStringLiteral("baselineView"));
        f->setObjectName(QStringLiteral("followupView"));
        row->addWidget(captioned(tr("Baseline: %1 (thickness change)").arg(baseName), b), 1);
        row->addWidget(captioned(tr("Follow-up: %1").arg(followName), f), 1);
        baselineViews_[static_cast<std::size_t>(p)] = b;
        followupViews_[static_cast<std::size_t>(p)] = f;
        views_->addWidget(page);
    }
    baseline_->setDataset(compare_.baseline);
    baseline_->setThicknessVisible(static_cast<bool>(compare_.baseline->thickness));
    followup_->setDataset(compare_.followup);

    verdict_->setObjectName(QStringLiteral("compareVerdict"));
    verdict_->setWordWrap(true);
    const std::string misaligned = compare_.comparison ? compare_.comparison->misalignment() : std::string();
    if (misaligned.empty()) {
        QString residuals;
        for (const auto& a : compare_.comparison->alignments) {
            residuals += tr("%1 %2 mm  ").arg(QString::fromStdString(a.bone)).arg(a.residualMm, 0, 'f', 2);
        }
        verdict_->setText(tr("Bones aligned (residual: %1). Left: baseline with the thickness change (blue: loss, red: gain); "
                             "right: follow-up. The cursors follow each other through each bone's alignment.")
                              .arg(residuals.trimmed()));
    } else {
        verdict_->setText(tr("Warning: %1 The change map and tables are not meaningful.").arg(QString::fromStdString(misaligned)));
        verdict_->setStyleSheet(QStringLiteral("background: #fde2e1; color: #8a1c14; padding: 4px; font-weight: bold"));
    }

    plane_->setObjectName(QStringLiteral("comparePlane"));
    for (const ViewPlane p : kViewPlanes) plane_->addItem(QString::fromLatin1(viewPlaneName(p)), static_cast<int>(p));
    auto* report = new QPushButton(tr("&Report..."));
    report->setToolTip(tr("PDF report of the follow-up with a 'Change since baseline' section"));
    auto* folder = new QPushButton(tr("Open change &folder"));
    connect(report, &QPushButton::clicked, this, &CompareTimepointsWindow::chooseReport);
    connect(folder, &QPushButton::clicked, this, [this] {
        QDesktopServices::openUrl(QUrl::fromLocalFile(QString::fromStdString(compare_.outDir.string())));
    });
    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Plane:")));
    bar->addWidget(plane_);
    bar->addStretch(1);
    bar->addWidget(folder);
    bar->addWidget(report);

    for (const auto& t : compare_.section.tables) {
        auto* view = new ResultTableView;
        view->setTable(t);
        view->setObjectName(QString::fromStdString(t.id));
        const QString name = t.id == "change_plates" ? tr("Plates") : t.id == "change_regions" ? tr("Regions") : tr("Alignment");
        tables_->addTab(view, name);
    }

    auto* top = new QWidget;
    auto* topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addWidget(verdict_);
    topLayout->addWidget(views_, 1);
    auto* split = new QSplitter(Qt::Vertical);
    split->addWidget(top);
    split->addWidget(tables_);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(split, 1);

    connect(baseline_, &ViewerState::cursorChanged, this, &CompareTimepointsWindow::followBaselineCursor);
    connect(followup_, &ViewerState::cursorChanged, this, &CompareTimepointsWindow::followFollowupCursor);
    connect(plane_, &QComboBox::currentIndexChanged, this,
            [this] { setPlane(static_cast<ViewPlane>(plane_->currentData().toInt())); });
    plane_->setCurrentIndex(static_cast<int>(ViewPlane::Sagittal)); // knees are read sagittally
    setPlane(ViewPlane::Sagittal);
    followBaselineCursor();
    resize(1200, 800);
}

void CompareTimepointsWindow::setPlane(ViewPlane plane)
{
    views_->setCurrentIndex(static_cast<int>(plane));
    if (plane_->currentIndex() != static_cast<int>(plane)) plane_->setCurrentIndex(static_cast<int>(plane));
}

SliceView* CompareTimepointsWindow::baselineView() const
{
    return baselineViews_[static_cast<std::size_t>(views_->currentIndex())];
}

SliceView* CompareTimepointsWindow::followupView() const
{
    return followupViews_[static_cast<std::size_t>(views_->currentIndex())];
}

void CompareTimepointsWindow::followBaselineCursor()
{
    if (linking_ || !compare_.followup->image) return;
    linking_ = true;
    const Vec3 q = compare_.toFollowup(baseline_->cursorWorld(), baseline_->cursorLabel());
    followup_->setCursor(indexOf(*compare_.followup->image, q));
    linking_ = false;
}

void CompareTimepointsWindow::followFollowupCursor()
{
    if (linking_ || !compare_.baseline->image) return;
    linking_ = true;
    const Vec3 p = compare_.toBaseline(followup_->cursorWorld(), followup_->cursorLabel());
    baseline_->setCursor(indexOf(*compare_.baseline->image, p));
    linking_ = false;
}

QStringList CompareTimepointsWindow::writeReport(const QString& pdfPath)
{
    const auto& bundle = compare_.followup->result;
    if (!bundle) return {};
    auto data = results::ReportData::fromBundle(*bundle);
    data.change = compare_.section;
    Dataset shown = *compare_.followup;
    shown.thickness.reset(); // slice pictures with the segmentation
    return ExportService::report(data, ReportSnapshots::slices(shown), pdfPath, QString());
}

void CompareTimepointsWindow::chooseReport()
{
    QSettings settings;
    const QString start = settings.value(QStringLiteral("compare/reportDir"), QString::fromStdString(compare_.outDir.string())).toString();
    const QString path = QFileDialog::getSaveFileName(this, tr("Report with the change"), start + QStringLiteral("/change_report.pdf"),
                                                      tr("PDF (*.pdf)"));
    if (path.isEmpty()) return;
    settings.setValue(QStringLiteral("compare/reportDir"), QFileInfo(path).absolutePath());
    try {
        if (writeReport(path).isEmpty()) throw Error("the follow-up's result bundle is not loaded");
    } catch (const std::exception& e) {
        QMessageBox::warning(this, tr("Report"), tr("The report could not be written to \"%1\": %2").arg(path, QString::fromUtf8(e.what())));
    }
}

} // namespace strata::ui

#include "strata/ui/ResultsPanel.h"

#include "strata/ui/ClassifyGallery.h"
#include "strata/ui/FsPath.h"
#include "strata/ui/OcrResultView.h"
#include "strata/ui/BeforeAfterView.h"
#include "strata/ui/ResultTableView.h"
#include "strata/ui/ViewerState.h"

#include <strata/report/ChartFactory.h>

#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QHBoxLayout>
#include <QGridLayout>
#include <QLabel>
#include <QPixmap>
#include <QPushButton>
#include <QScrollArea>
#include <QTabWidget>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace strata::ui {

ResultsPanel::ResultsPanel(ViewerState* state, QWidget* parent)
    : QWidget(parent), state_(state), bundle_(new QLabel), thickness_(new QCheckBox(tr("Thickness map"))),
      showAll_(new QPushButton(tr("Show all labels"))), tabs_(new QTabWidget), histogram_(new QChartView),
      regions_(new QChartView), provenance_(new QTextBrowser), comparison_(new BeforeAfterView(this)),
      warning_(new QLabel), caption_(new QLabel)
{
    // Quality control (knee): a banner above the tables for not_a_knee and uncertain results, with the reasons.
    warning_->setObjectName(QStringLiteral("qualityWarning"));
    warning_->setWordWrap(true);
    warning_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    warning_->setStyleSheet(QStringLiteral(
        "QLabel { background-color: #fff3cd; color: #6b2b00; border: 2px solid #b94a00; padding: 6px; }"));
    warning_->hide();
    thickness_->setObjectName(QStringLiteral("thicknessCheck"));
    thickness_->setToolTip(tr("Colour the slices and the cartilage meshes by thickness (T)"));
    tabs_->setObjectName(QStringLiteral("resultTabs"));
    comparison_->hide(); // shown in a tab for super-resolution results
    bundle_->setWordWrap(true);
    bundle_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    histogram_->setRenderHint(QPainter::Antialiasing);
    regions_->setRenderHint(QPainter::Antialiasing);
    histogram_->setMinimumHeight(200);
    regions_->setMinimumHeight(200);

    auto* root = new QVBoxLayout(this);
    auto* row = new QHBoxLayout;
    row->addWidget(thickness_);
    row->addStretch(1);
    row->addWidget(showAll_);
    root->addLayout(row);
    root->addWidget(bundle_);
    root->addWidget(warning_);
    root->addWidget(caption_);
    root->addWidget(tabs_, 1);
    caption_->setObjectName(QStringLiteral("tableCaption"));
    caption_->setWordWrap(true);
    caption_->hide();
    connect(tabs_, &QTabWidget::currentChanged, this, [this] {
        const auto* table = qobject_cast<const ResultTableView*>(tabs_->currentWidget());
        if (!table) {
            caption_->hide();
            return;
        }
        QString text = QString::fromStdString(table->table().title);
        if (table->table().id == "subregions") {
            text += tr(". Femoral: TrF trochlea, cMF / cLF central medial / lateral condyle (e, c, i: external, central, "
                       "internal third), pMF / pLF posterior. Tibial: MT / LT whole plate, then c central, a anterior, "
                       "p posterior, e external, i internal. Patellar: P.");
        }
        caption_->setText(text);
        caption_->show();
    });

    connect(thickness_, &QCheckBox::toggled, state_, &ViewerState::setThicknessVisible);
    connect(state_, &ViewerState::overlayChanged, this, [this] {
        thickness_->blockSignals(true);
        thickness_->setChecked(state_->thicknessVisible());
        thickness_->blockSignals(false);
    });
    connect(showAll_, &QPushButton::clicked, this, [this] { state_->soloLabel(0); });
    clear();
}

void ResultsPanel::clear(const QString& datasetName)
{
    hasResult_ = false;
    tabs_->clear();
    for (QWidget* w : {static_cast<QWidget*>(ocrView_), static_cast<QWidget*>(gallery_), maps_}) {
        if (w) {
            w->deleteLater();
        }
    }
    ocrView_ = nullptr;
    gallery_ = nullptr;
    maps_ = nullptr;
    for (auto* t : tables_) {
        t->deleteLater();
    }
    tables_.clear();
    warning_->clear();
    warning_->hide();
    const QString none = datasetName.isEmpty() ? tr("No result.") : tr("No result for %1.").arg(datasetName.toHtmlEscaped());
    bundle_->setText(none + QLatin1Char(' ') +
                     tr("Run a pipeline (Analysis > Run, Ctrl+R) or open a result folder (File > Open result)."));
    thickness_->setEnabled(false);
    showAll_->setEnabled(false);
}

void ResultsPanel::setResult(const results::ReportData& data, const LabelTable& labels, const QString& bundleDir,
                             const QString& datasetName)
{
    clear();
    hasResult_ = true;
    const QString subtitle = QString::fromStdString(data.subtitle).toHtmlEscaped();
    // A long folder path may wrap after each '/' (a zero-width space): it does not hold the panel wide.
    const QString folder = bundleDir.toHtmlEscaped().replace(QLatin1Char('/'), QStringLiteral("/&#8203;"));
    bundle_->setText(datasetName.isEmpty() || subtitle.contains(datasetName.toHtmlEscaped())
                         ? QStringLiteral("<b>%1</b><br/>%2").arg(subtitle, folder)
                         : QStringLiteral("<b>%1</b>: %2<br/>%3").arg(datasetName.toHtmlEscaped(), subtitle, folder));
    if (!data.warning.empty()) {
        QString text = QStringLiteral("<b>%1</b>").arg(QString::fromStdString(data.warning).toHtmlEscaped());
        if (!data.warningReasons.empty()) {
            text += QStringLiteral("<ul style=\"margin: 0\">");
            for (const auto& r : data.warningReasons) text += QStringLiteral("<li>%1</li>").arg(QString::fromStdString(r).toHtmlEscaped());
            text += QStringLiteral("</ul>");
        }
        warning_->setText(text);
        warning_->show();
    }
    thickness_->setEnabled(!data.histograms.empty());
    showAll_->setEnabled(data.histograms.size() + data.tables.size() > 0);
    addBatchViews(fsPath(bundleDir));
    for (const auto& t : data.tables) {
        auto* view = new ResultTableView;
        view->setObjectName(QStringLiteral("table_") + QString::fromStdString(t.id));
        view->setTable(t);
        connect(view, &ResultTableView::labelActivated, this, &ResultsPanel::labelActivated);
        tables_.push_back(view);
        const QString name = t.id == "plates" ? tr("Plates") : t.id == "subregions" ? tr("Subregions") : tr("Volumes");
        tabs_->addTab(view, name);
    }
    if (!data.histograms.empty()) {
        QChart* old = histogram_->chart();
        histogram_->setChart(report::ChartFactory::thicknessHistogram(data.histograms, labels)); // view owns it
        delete old;
        tabs_->addTab(histogram_, tr("Histogram"));
    }
    addThicknessMaps(data);
    for (const auto& t : data.tables) {
        if (t.id == "subregions") {
            QChart* old = regions_->chart();
            regions_->setChart(report::ChartFactory::regionBars(t));
            delete old;
            tabs_->addTab(regions_, tr("Subregions chart"));
        }
    }
    QString html = QStringLiteral("<table cellpadding=\"2\">");
    for (const auto* list : {&data.summary, &data.provenance}) {
        for (const auto& [k, v] : *list) {
            html += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>")
                        .arg(QString::fromStdString(k).toHtmlEscaped(), QString::fromStdString(v).toHtmlEscaped());
        }
    }
    for (const auto& [stage, s] : data.timings) {
        html += QStringLiteral("<tr><td>%1</td><td>%2 s</td></tr>").arg(QString::fromStdString(stage)).arg(s, 0, 'f', 2);
    }
    provenance_->setHtml(html + QStringLiteral("</table>"));
    addComparison(bundleDir);
    tabs_->addTab(provenance_, tr("Provenance"));
}

void ResultsPanel::addBatchViews(const std::filesystem::path& dir)
{
    // Batch pipelines (OCR, classification) show their pages or images first; a damaged file only costs its tab.
    try {
        if (std::filesystem::exists(dir / "ocr.json")) {
            ocrView_ = new OcrResultView;
            tabs_->addTab(ocrView_, tr("Pages"));
            ocrView_->setBundle(dir);
        }
        if (std::filesystem::exists(dir / "predictions.json")) {
            gallery_ = new ClassifyGallery;
            tabs_->addTab(gallery_, tr("Gallery"));
            gallery_->setBundle(dir);
        }
    } catch (const std::exception& e) {
        auto* msg = new QLabel(tr("This part of the result cannot be shown: %1").arg(QString::fromUtf8(e.what())));
        msg->setWordWrap(true);
        tabs_->addTab(msg, tr("Error"));
    }
}

void ResultsPanel::addComparison(const QString& bundleDir)
{
    QFile f(QDir(bundleDir).filePath(QStringLiteral("superres.json")));
    if (!f.open(QIODevice::ReadOnly)) {
        return;
    }
    const QJsonObject c = QJsonDocument::fromJson(f.readAll()).object().value(QStringLiteral("comparison")).toObject();
    const QDir dir(bundleDir);
    if (c.isEmpty() || !comparison_->loadImages(dir.filePath(c.value(QStringLiteral("before")).toString()),
                                                dir.filePath(c.value(QStringLiteral("after")).toString()))) {
        return;
    }
    comparison_->setDivider(0.5);
    tabs_->insertTab(0, comparison_, tr("Before / after"));
    tabs_->setCurrentIndex(0);
}

void ResultsPanel::addThicknessMaps(const results::ReportData& data)
{
    if (data.thicknessMaps.empty()) return;
    auto* grid = new QWidget;
    auto* layout = new QGridLayout(grid);
    for (std::size_t i = 0; i < data.thicknessMaps.size(); ++i) {
        const auto& [caption, path] = data.thicknessMaps[i];
        auto* cell = new QWidget;
        auto* v = new QVBoxLayout(cell);
        auto* picture = new QLabel;
        picture->setPixmap(QPixmap(QString::fromStdString(path)));
        picture->setToolTip(QString::fromStdString(path));
        auto* text = new QLabel(QString::fromStdString(caption));
        text->setWordWrap(true);
        v->addWidget(picture);
        v->addWidget(text);
        v->addStretch();
        layout->addWidget(cell, static_cast<int>(i / 2), static_cast<int>(i % 2));
    }
    auto* scroll = new QScrollArea;
    scroll->setObjectName(QStringLiteral("thicknessMaps"));
    scroll->setWidget(grid);
    maps_ = scroll;
    tabs_->addTab(scroll, tr("Maps"));
}

} // namespace strata::ui

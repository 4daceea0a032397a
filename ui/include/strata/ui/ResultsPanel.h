#pragma once

#include <strata/LabelTable.h>
#include <strata/results/ReportData.h>

#include <QWidget>

#include <filesystem>
#include <vector>

class QCheckBox;
class QChartView;
class QLabel;
class QPushButton;
class QTabWidget;
class QTextBrowser;

namespace strata::ui {

class ClassifyGallery;
class OcrResultView;
class BeforeAfterView;
class ResultTableView;
class ViewerState;

/// The results of the current dataset's analysis: sortable, copyable tables (per plate, per region,
/// volumes), Qt Charts plots (thickness histogram per plate, per-region bars), the provenance, and the
/// thickness-map switch. Clicking a row highlights its structure in the views. Super-resolution results (a
/// superres.json naming a "comparison") get a before/after tab: bicubic upscale vs network output.
class ResultsPanel : public QWidget {
    Q_OBJECT
public:
    explicit ResultsPanel(ViewerState* state, QWidget* parent = nullptr);

    /// Shows a result; datasetName (the dataset it belongs to) heads the panel.
    void setResult(const results::ReportData& data, const LabelTable& labels, const QString& bundleDir,
                   const QString& datasetName = {});
    /// No result (for the dataset named, when one is).
    void clear(const QString& datasetName = {});
    /// The heading: the dataset's name, the result's subtitle and folder.
    QLabel* heading() const { return bundle_; }
    bool hasResult() const { return hasResult_; }

    QTabWidget* tabs() const { return tabs_; }
    const std::vector<ResultTableView*>& tables() const { return tables_; }
    QChartView* histogramView() const { return histogram_; }
    QChartView* regionView() const { return regions_; }
    /// The quality-control banner (hidden when the result is ok or has no verdict).
    QLabel* qualityWarning() const { return warning_; }
    /// What the table shown in the tabs covers (its title; for the subregions, what the names mean).
    QLabel* tableCaption() const { return caption_; }
    QCheckBox* thicknessCheckBox() const { return thickness_; }
    /// The OCR pages or the classification gallery of the current result (null for other pipelines).
    OcrResultView* ocrView() const { return ocrView_; }
    ClassifyGallery* gallery() const { return gallery_; }
    /// The before/after comparison of a super-resolution result (tab "Before / after"; hidden otherwise).
    BeforeAfterView* comparisonView() const { return comparison_; }

Q_SIGNALS:
    void labelActivated(int labelId, const QString& region);

private:
    void addBatchViews(const std::filesystem::path& dir);
    /// Adds the before/after tab when the bundle is a super-resolution result with comparison images.
    void addComparison(const QString& bundleDir);
    /// Adds the "Maps" tab when the result has 2D thickness maps (knee: maps/<plate>.png).
    void addThicknessMaps(const results::ReportData& data);

    ViewerState* state_;
    QLabel* bundle_;
    QCheckBox* thickness_;
    QPushButton* showAll_;
    QTabWidget* tabs_;
    std::vector<ResultTableView*> tables_;
    QChartView* histogram_;
    QChartView* regions_;
    QTextBrowser* provenance_;
    OcrResultView* ocrView_{nullptr};
    ClassifyGallery* gallery_{nullptr};
    QWidget* maps_{nullptr};
    BeforeAfterView* comparison_;
    QLabel* warning_;
    QLabel* caption_;
    bool hasResult_{false};
};

} // namespace strata::ui

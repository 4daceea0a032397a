#include "strata/report/ChartFactory.h"

#include <strata/quant/SubregionFrame.h>

#include <strata/results/ResultTables.h>

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QGraphicsScene>
#include <QLineSeries>
#include <QPainter>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace strata::report {

namespace {

QColor labelColour(const LabelTable& labels, const results::ThicknessHistogram& h, int fallbackIndex)
{
    if (const auto info = labels.find(h.labelId); info && info->rgba[3] > 0) {
        return QColor(info->rgba[0], info->rgba[1], info->rgba[2]).darker(115);
    }
    if (h.rgba[3] > 0) { // the colour the result's label table gave the plate (reports have no table of their own)
        return QColor(h.rgba[0], h.rgba[1], h.rgba[2]).darker(115);
    }
    static const QColor palette[] = {QColor(0x1f77b4), QColor(0xff7f0e), QColor(0x2ca02c), QColor(0xd62728), QColor(0x9467bd)};
    return palette[fallbackIndex % 5];
}

void styleChart(QChart* chart, const QString& title)
{
    chart->setTitle(title);
    QFont f = chart->titleFont();
    f.setPointSizeF(11);
    f.setBold(true);
    chart->setTitleFont(f);
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->setBackgroundRoundness(0);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->legend()->setAlignment(Qt::AlignBottom);
    QFont lf = chart->legend()->font();
    lf.setPointSizeF(8);
    chart->legend()->setFont(lf);
}

} // namespace

QChart* ChartFactory::thicknessHistogram(const std::vector<results::ThicknessHistogram>& histograms, const LabelTable& labels)
{
    auto* chart = new QChart;
    styleChart(chart, QObject::tr("Cartilage thickness distribution per plate"));
    double maxX = 1.0, maxY = 1.0;
    int index = 0;
    for (const auto& h : histograms) {
        const double total = static_cast<double>(h.total());
        if (total <= 0) {
            continue;
        }
        auto* series = new QLineSeries;
        series->setName(QString::fromStdString(results::displayName(h.name)));
        QPen pen(labelColour(labels, h, index++));
        pen.setWidthF(2.0);
        series->setPen(pen);
        for (std::size_t i = 0; i < h.counts.size(); ++i) {
            const double x = (static_cast<double>(i) + 0.5) * h.binWidth;
            const double y = 100.0 * static_cast<double>(h.counts[i]) / total;
            series->append(x, y);
            maxY = std::max(maxY, y);
            maxX = std::max(maxX, (static_cast<double>(i) + 1.0) * h.binWidth);
        }
        chart->addSeries(series);
    }
    auto* ax = new QValueAxis;
    ax->setTitleText(QObject::tr("Thickness (mm)"));
    ax->setRange(0.0, std::ceil(maxX));
    ax->setLabelFormat(QStringLiteral("%.1f"));
    ax->setTickCount(static_cast<int>(std::ceil(maxX)) * 2 + 1);
    auto* ay = new QValueAxis;
    ay->setTitleText(QObject::tr("Voxels (%)"));
    ay->setRange(0.0, maxY * 1.05);
    ay->setLabelFormat(QStringLiteral("%.0f"));
    ay->applyNiceNumbers();
    chart->addAxis(ax, Qt::AlignBottom);
    chart->addAxis(ay, Qt::AlignLeft);
    for (auto* s : chart->series()) {
        s->attachAxis(ax);
        s->attachAxis(ay);
    }
    return chart;
}

QChart* ChartFactory::regionBars(const results::ResultTable& regions)
{
    auto* chart = new QChart;
    styleChart(chart, QObject::tr("Cartilage thickness per subregion"));
    const auto col = [&](const char* name) {
        const auto it = std::find(regions.columns.begin(), regions.columns.end(), name);
        return it == regions.columns.end() ? -1 : static_cast<int>(it - regions.columns.begin());
    };
    const int mean = col("Mean (mm)"), p5 = col("P5 (mm)"), p95 = col("P95 (mm)");
    auto* meanSet = new QBarSet(QObject::tr("Mean"));
    meanSet->setColor(QColor(0x3b7dd8));
    auto* p5Set = new QBarSet(QObject::tr("5th percentile"));
    p5Set->setColor(QColor(0xa6c8f0));
    auto* p95Set = new QBarSet(QObject::tr("95th percentile"));
    p95Set->setColor(QColor(0x1b3f73));
    QStringList categories;
    double maxY = 1.0;
    for (std::size_t r = 0; r < regions.rows.size(); ++r) {
        const auto& row = regions.rows[r];
        // The subregions of the weight-bearing plates (ecMF ... pLT); plate-level rows and the patella are in the table.
        const std::string region = r < regions.rowRegions.size() ? regions.rowRegions[r] : std::string();
        if (region.empty() || quant::parentRegion(region) == region) continue;
        categories << QString::fromStdString(region);
        auto value = [&](int c) { return c >= 0 && c < static_cast<int>(row.size()) ? row[static_cast<std::size_t>(c)].value : 0.0; };
        *p5Set << value(p5);
        *meanSet << value(mean);
        *p95Set << value(p95);
        maxY = std::max(maxY, value(p95));
    }
    auto* series = new QBarSeries;
    series->append(p5Set);
    series->append(meanSet);
    series->append(p95Set);
    chart->addSeries(series);
    auto* ax = new QBarCategoryAxis;
    ax->append(categories);
    QFont af = ax->labelsFont();
    af.setPointSizeF(8);
    ax->setLabelsFont(af);
    if (categories.size() > 8) {
        ax->setLabelsAngle(-90); // 16 subregions: upright names would be cut to "e..."
    }
    auto* ay = new QValueAxis;
    ay->setTitleText(QObject::tr("Thickness (mm)"));
    ay->setRange(0.0, std::ceil(maxY * 1.1 * 2.0) / 2.0);
    ay->setLabelFormat(QStringLiteral("%.1f"));
    chart->addAxis(ax, Qt::AlignBottom);
    chart->addAxis(ay, Qt::AlignLeft);
    series->attachAxis(ax);
    series->attachAxis(ay);
    return chart;
}

QImage ChartFactory::render(QChart* chart, QSize size, qreal scale)
{
    QGraphicsScene scene;
    QGraphicsItem* oldParent = chart->parentItem();
    QGraphicsScene* oldScene = chart->scene();
    if (oldScene) {
        oldScene->removeItem(chart);
    }
    scene.addItem(chart);
    chart->setGeometry(QRectF(QPointF(0, 0), QSizeF(size)));
    QImage image(size * scale, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(scale);
    image.fill(Qt::white);
    {
        QPainter p(&image);
        p.setRenderHint(QPainter::Antialiasing);
        p.setRenderHint(QPainter::TextAntialiasing);
        scene.render(&p, QRectF(QPointF(0, 0), QSizeF(size)), QRectF(QPointF(0, 0), QSizeF(size)));
    }
    scene.removeItem(chart);
    if (oldScene) {
        oldScene->addItem(chart);
        chart->setParentItem(oldParent);
    }
    return image;
}

} // namespace strata::report

#include "strata/report/ReportWriter.h"

#include "strata/report/ChartFactory.h"
#include "strata/report/ReportHtml.h"

#include <QBuffer>
#include <QChart>
#include <QFile>
#include <QFileInfo>
#include <QPageLayout>
#include <QPageSize>
#include <QPdfWriter>
#include <QTextDocument>
#include <QUrl>

#include <memory>

namespace strata::report {

namespace {

bool fail(QString* error, const QString& message)
{
    if (error) {
        *error = message;
    }
    return false;
}

} // namespace

ReportWriter::ReportWriter(results::ReportData data, const ReportImages& images) : data_(std::move(data))
{
    const std::pair<QString, QImage> pics[] = {{QStringLiteral("axial"), images.axial},
                                               {QStringLiteral("coronal"), images.coronal},
                                               {QStringLiteral("sagittal"), images.sagittal},
                                               {QStringLiteral("view3d"), images.view3d}};
    for (const auto& [name, img] : pics) {
        if (!img.isNull()) {
            images_[name] = img;
        }
    }
    LabelTable labels; // plates get fallback colours unless the histograms carry ids of a known table
    if (!data_.histograms.empty()) {
        std::unique_ptr<QChart> chart(ChartFactory::thicknessHistogram(data_.histograms, labels));
        images_[QStringLiteral("histogram")] = ChartFactory::render(chart.get(), QSize(600, 300), 3.0);
    }
    for (std::size_t i = 0; i < data_.thicknessMaps.size(); ++i) {
        QImage map(QString::fromStdString(data_.thicknessMaps[i].second));
        if (!map.isNull()) images_[QStringLiteral("map%1").arg(i)] = map;
    }
    if (data_.change) {
        for (std::size_t i = 0; i < data_.change->maps.size(); ++i) {
            QImage map(QString::fromStdString(data_.change->maps[i].second));
            if (!map.isNull()) images_[QStringLiteral("change%1").arg(i)] = map;
        }
    }
    for (const auto& t : data_.tables) {
        if (t.id == "subregions") {
            std::unique_ptr<QChart> chart(ChartFactory::regionBars(t));
            images_[QStringLiteral("regions")] = ChartFactory::render(chart.get(), QSize(600, 300), 3.0);
        }
    }
}

bool ReportWriter::writePdf(const QString& path, QString* error) const
{
    QTextDocument doc;
    for (auto it = images_.begin(); it != images_.end(); ++it) {
        QImage img = it.value();
        img.setDevicePixelRatio(1.0);
        doc.addResource(QTextDocument::ImageResource, QUrl(QStringLiteral("img:") + it.key()), img);
    }
    doc.setHtml(ReportHtml::build(data_, [this](const QString& name) {
        return images_.contains(name) ? QStringLiteral("img:") + name : QString();
    }, false));
    QFile probe(path);
    if (!probe.open(QIODevice::WriteOnly)) {
        return fail(error, QObject::tr("Cannot write \"%1\": %2").arg(path, probe.errorString()));
    }
    probe.close();
    QPdfWriter writer(path);
    writer.setTitle(QString::fromStdString(data_.title));
    writer.setCreator(QStringLiteral("Strata"));
    writer.setResolution(300);
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Portrait, QMarginsF(0, 0, 0, 0)));
    doc.print(&writer);
    if (QFileInfo(path).size() <= 0) {
        return fail(error, QObject::tr("Writing the PDF \"%1\" failed.").arg(path));
    }
    return true;
}

bool ReportWriter::writeHtml(const QString& path, QString* error) const
{
    QMap<QString, QString> urls;
    for (auto it = images_.begin(); it != images_.end(); ++it) {
        QByteArray png;
        QBuffer buffer(&png);
        buffer.open(QIODevice::WriteOnly);
        it.value().save(&buffer, "PNG");
        urls[it.key()] = QStringLiteral("data:image/png;base64,") + QString::fromLatin1(png.toBase64());
    }
    const QString html = ReportHtml::build(data_, [&urls](const QString& name) { return urls.value(name); }, true);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        return fail(error, QObject::tr("Cannot write \"%1\": %2").arg(path, file.errorString()));
    }
    file.write(html.toUtf8());
    if (!file.flush()) {
        return fail(error, QObject::tr("Writing \"%1\" failed: %2").arg(path, file.errorString()));
    }
    return true;
}

} // namespace strata::report

#pragma once

#include "strata/report/ReportImages.h"

#include <strata/results/ReportData.h>

#include <QImage>
#include <QMap>
#include <QString>

namespace strata::report {

/// Writes a report as an A4 PDF (QTextDocument through QPdfWriter) and as a self-contained HTML file
/// (pictures embedded as data URLs). Needs a QApplication (the plots are Qt Charts); any platform works,
/// offscreen included.
class ReportWriter {
public:
    ReportWriter(results::ReportData data, const ReportImages& images);

    /// Returns false and sets `error` when the file cannot be written.
    bool writePdf(const QString& path, QString* error = nullptr) const;
    bool writeHtml(const QString& path, QString* error = nullptr) const;

    /// The pictures by name (slice views, 3D view, plots), as drawn in the report.
    const QMap<QString, QImage>& images() const { return images_; }

private:
    results::ReportData data_;
    QMap<QString, QImage> images_;
};

} // namespace strata::report

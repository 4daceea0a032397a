#pragma once

#include <strata/results/ReportData.h>

#include <QString>

#include <functional>

namespace strata::report {

/// The report as HTML in the subset QTextDocument understands (so one source gives both the PDF and the
/// HTML file). Pictures are referenced through `imageUrl(name)` for the names "axial", "coronal", "sagittal",
/// "view3d", "histogram", "regions" (an empty URL leaves the picture out).
class ReportHtml {
public:
    static QString build(const results::ReportData& data, const std::function<QString(const QString&)>& imageUrl,
                         bool forBrowser);
};

} // namespace strata::report

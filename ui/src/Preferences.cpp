#include "strata/ui/Preferences.h"

#include <strata/results/ReportData.h>
#include <strata/report/ReportImages.h>

#include <QSettings>

#include <algorithm>

namespace strata::ui {

Preferences Preferences::load()
{
    QSettings s;
    Preferences p;
    p.threads = std::max(0, s.value(QStringLiteral("preferences/threads"), 0).toInt());
    p.smoothSlices = s.value(QStringLiteral("preferences/smoothSlices"), false).toBool();
    p.dataFolder = s.value(QStringLiteral("preferences/dataFolder")).toString();
    p.resultsFolder = s.value(QStringLiteral("preferences/resultsFolder")).toString();
    const QString device = s.value(QStringLiteral("preferences/device"), p.device).toString();
    if (device == QLatin1String("auto") || device == QLatin1String("cpu") || device == QLatin1String("cuda")) p.device = device;
    p.report3dView = s.value(QStringLiteral("preferences/report3dView"), true).toBool();
    p.reportSlices = s.value(QStringLiteral("preferences/reportSlices"), true).toBool();
    p.reportThicknessMaps = s.value(QStringLiteral("preferences/reportThicknessMaps"), true).toBool();
    return p;
}

void Preferences::save() const
{
    QSettings s;
    s.setValue(QStringLiteral("preferences/threads"), threads);
    s.setValue(QStringLiteral("preferences/smoothSlices"), smoothSlices);
    s.setValue(QStringLiteral("preferences/dataFolder"), dataFolder);
    s.setValue(QStringLiteral("preferences/resultsFolder"), resultsFolder);
    s.setValue(QStringLiteral("preferences/device"), device);
    s.setValue(QStringLiteral("preferences/report3dView"), report3dView);
    s.setValue(QStringLiteral("preferences/reportSlices"), reportSlices);
    s.setValue(QStringLiteral("preferences/reportThicknessMaps"), reportThicknessMaps);
}

void Preferences::trimReport(results::ReportData& data, report::ReportImages& images) const
{
    if (!report3dView) images.view3d = QImage();
    if (!reportSlices) images.axial = images.coronal = images.sagittal = QImage();
    if (!reportThicknessMaps) data.thicknessMaps.clear();
}

} // namespace strata::ui

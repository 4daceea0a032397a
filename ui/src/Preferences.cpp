#include "strata/ui/Preferences.h"

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
    return p;
}

void Preferences::save() const
{
    QSettings s;
    s.setValue(QStringLiteral("preferences/threads"), threads);
    s.setValue(QStringLiteral("preferences/smoothSlices"), smoothSlices);
    s.setValue(QStringLiteral("preferences/dataFolder"), dataFolder);
    s.setValue(QStringLiteral("preferences/resultsFolder"), resultsFolder);
}

} // namespace strata::ui

#include "strata/ui/LabelAppearanceStore.h"

#include <strata/Sha256.h>

#include <QColor>
#include <QSettings>

namespace strata::ui {
namespace {

const QString kGroup = QStringLiteral("labelAppearance/");

QString entry(const QString& origin, int id)
{
    return kGroup + origin + QStringLiteral("/%1").arg(id);
}

} // namespace

QString LabelAppearanceStore::key(const LabelTable& table)
{
    std::string text;
    for (const auto& l : table.labels()) {
        text += std::to_string(l.id) + ":" + l.name + "\n";
    }
    Sha256 h;
    h.update(text);
    return QString::fromStdString(h.hexDigest().substr(0, 16));
}

QString LabelAppearanceStore::origin(const LabelTable& table)
{
    const QString k = key(table);
    return QSettings().value(kGroup + QStringLiteral("aliases/") + k, k).toString();
}

LabelTable LabelAppearanceStore::apply(const LabelTable& table)
{
    QSettings s;
    const QString from = origin(table);
    std::vector<LabelInfo> labels = table.labels();
    for (auto& l : labels) {
        const QString name = s.value(entry(from, l.id) + QStringLiteral("/name")).toString();
        const QColor colour(s.value(entry(from, l.id) + QStringLiteral("/colour")).toString());
        if (!name.isEmpty()) {
            l.name = name.toStdString();
        }
        if (colour.isValid()) {
            l.rgba = {static_cast<std::uint8_t>(colour.red()), static_cast<std::uint8_t>(colour.green()),
                      static_cast<std::uint8_t>(colour.blue()), static_cast<std::uint8_t>(colour.alpha())};
        }
    }
    return LabelTable(std::move(labels));
}

void LabelAppearanceStore::forgetAll() { QSettings().remove(kGroup.chopped(1)); }

LabelTable LabelAppearanceStore::change(const LabelTable& table, int id, const std::string& name,
                                        std::array<std::uint8_t, 4> rgba)
{
    QSettings s;
    const QString from = origin(table);
    std::vector<LabelInfo> labels = table.labels();
    bool found = false;
    for (auto& l : labels) {
        if (l.id == id) {
            l.name = name;
            l.rgba = rgba;
            found = true;
        }
    }
    if (!found) {
        labels.push_back({id, name, rgba});
    }
    LabelTable changed(std::move(labels));
    s.setValue(entry(from, id) + QStringLiteral("/name"), QString::fromStdString(name));
    s.setValue(entry(from, id) + QStringLiteral("/colour"), QColor(rgba[0], rgba[1], rgba[2], rgba[3]).name(QColor::HexArgb));
    if (const QString k = key(changed); k != from) {
        s.setValue(kGroup + QStringLiteral("aliases/") + k, from);
    }
    return changed;
}

void LabelAppearanceStore::forget(const LabelTable& table)
{
    QSettings s;
    s.remove(kGroup + origin(table));
}

} // namespace strata::ui

#include "strata/ui/RunChoiceCombos.h"

#include "strata/ui/RunTargets.h"

#include <QComboBox>

namespace strata::ui {
namespace {

/// Refills `combo` with (text, data, tooltip) items, keeping the current data's item selected when there is one.
template <typename Items, typename Fill> void refill(QComboBox* combo, const Items& items, Fill fill)
{
    const QString current = combo->currentData().toString();
    combo->blockSignals(true);
    combo->clear();
    for (const auto& item : items) {
        const auto [text, data, tip] = fill(item);
        combo->addItem(text, data);
        combo->setItemData(combo->count() - 1, tip, Qt::ToolTipRole);
    }
    const int i = combo->findData(current);
    combo->setCurrentIndex(i >= 0 ? i : 0);
    combo->blockSignals(false);
}

} // namespace

void fillTargetCombo(QComboBox* combo, const RunTargets& targets)
{
    refill(combo, targets.targets(), [](const RunTarget& t) { return std::tuple{t.title, t.id, t.description}; });
}

void fillPipelineCombo(QComboBox* combo, const std::vector<pipeline::PipelineManifest>& manifests)
{
    refill(combo, manifests, [](const pipeline::PipelineManifest& m) {
        return std::tuple{QString::fromStdString(m.title), QString::fromStdString(m.id), QString::fromStdString(m.description)};
    });
}

void selectPreferredDevice(QComboBox* device, const QString& targetId, const QString& preferred)
{
    if (targetId != QLatin1String("local")) return;
    if (const int i = device->findText(preferred); i >= 0) device->setCurrentIndex(i);
}

} // namespace strata::ui

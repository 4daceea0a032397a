#include "strata/ui/DisplayPanel.h"

#include "strata/ui/ViewerState.h"
#include "strata/ui/WindowLevelPreset.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>

#include <cmath>

namespace strata::ui {

DisplayPanel::DisplayPanel(ViewerState* state, QWidget* parent)
    : QWidget(parent), state_(state), window_(new QDoubleSpinBox(this)), level_(new QDoubleSpinBox(this)),
      presets_(new QComboBox(this)), range_(new QLabel(this))
{
    for (auto* s : {window_, level_}) {
        s->setRange(-1e9, 1e9);
        s->setDecimals(2);
        s->setKeyboardTracking(false);
        s->setAccelerated(true);
    }
    window_->setMinimum(1e-6);
    window_->setToolTip(tr("Window width (right-drag horizontally in a slice view)"));
    level_->setToolTip(tr("Window level / centre (right-drag vertically in a slice view)"));
    presets_->addItem(tr("Presets..."));
    for (const auto& p : WindowLevelPreset::all()) {
        presets_->addItem(QString::fromStdString(p.name));
    }
    range_->setWordWrap(false);
    // Two lines from the start: the docks are laid out before the first image, and the label overlapped the next dock.
    range_->setMinimumHeight(2 * range_->fontMetrics().lineSpacing() + 2);
    auto* form = new QFormLayout(this);
    form->setContentsMargins(4, 4, 4, 4);
    form->addRow(tr("Window"), window_);
    form->addRow(tr("Level"), level_);
    form->addRow(tr("Preset"), presets_);
    form->addRow(range_);

    auto apply = [this] {
        if (!updating_) {
            state_->setWindowLevel({window_->value(), level_->value()});
        }
    };
    connect(window_, &QDoubleSpinBox::valueChanged, this, apply);
    connect(level_, &QDoubleSpinBox::valueChanged, this, apply);
    connect(presets_, &QComboBox::activated, this, [this](int i) {
        if (i > 0) {
            applyPreset(i - 1);
        }
        presets_->setCurrentIndex(0);
    });
    connect(state_, &ViewerState::windowLevelChanged, this, &DisplayPanel::syncFromState);
    connect(state_, &ViewerState::datasetChanged, this, &DisplayPanel::onDatasetChanged);
    onDatasetChanged();
}

void DisplayPanel::applyPreset(int index)
{
    const auto& all = WindowLevelPreset::all();
    if (index < 0 || index >= static_cast<int>(all.size()) || !state_->dataset()) {
        return;
    }
    const auto& p = all[static_cast<std::size_t>(index)];
    state_->setWindowLevel(p.fixed ? *p.fixed : state_->autoWindowLevel(p.lowPercentile, p.highPercentile));
}

void DisplayPanel::onDatasetChanged()
{
    const auto ds = state_->dataset();
    setEnabled(ds != nullptr);
    if (ds) {
        // Step sizes follow the image's intensity range.
        const double step = std::max((ds->p99 - ds->p1) / 100.0, 0.01);
        window_->setSingleStep(step);
        level_->setSingleStep(step);
        range_->setText(tr("Range %1 .. %2\n1-99%: %3 .. %4")
                            .arg(ds->minValue, 0, 'g', 6)
                            .arg(ds->maxValue, 0, 'g', 6)
                            .arg(ds->p1, 0, 'g', 6)
                            .arg(ds->p99, 0, 'g', 6));
    } else {
        range_->clear();
    }
    syncFromState();
}

void DisplayPanel::syncFromState()
{
    updating_ = true;
    window_->setValue(state_->windowLevel().window);
    level_->setValue(state_->windowLevel().level);
    updating_ = false;
}

} // namespace strata::ui

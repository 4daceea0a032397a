#pragma once

#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QLabel;

namespace strata::ui {

class ViewerState;

/// Window/level controls: values, presets (automatic percentile windows, CT and MR presets), image range.
class DisplayPanel : public QWidget {
    Q_OBJECT
public:
    explicit DisplayPanel(ViewerState* state, QWidget* parent = nullptr);

    QDoubleSpinBox* windowSpin() const { return window_; }
    QDoubleSpinBox* levelSpin() const { return level_; }
    QComboBox* presetCombo() const { return presets_; }

public Q_SLOTS:
    /// Applies preset `index` of WindowLevelPreset::all().
    void applyPreset(int index);

private:
    void syncFromState();
    void onDatasetChanged();

    ViewerState* state_;
    QDoubleSpinBox* window_;
    QDoubleSpinBox* level_;
    QComboBox* presets_;
    QLabel* range_;
    bool updating_{false};
};

} // namespace strata::ui

#pragma once

#include <QWidget>

class QCheckBox;
class QSlider;
class QTreeWidget;
class QPushButton;
class QLabel;

namespace strata::ui {

class ViewerState;

/// Label overlay controls and legend: overlay on/off, opacity, one checkbox + colour swatch + name per label.
class LabelPanel : public QWidget {
    Q_OBJECT
public:
    explicit LabelPanel(ViewerState* state, QWidget* parent = nullptr);

    QTreeWidget* labelList() const { return list_; }
    QSlider* opacitySlider() const { return opacity_; }
    QCheckBox* overlayCheckBox() const { return show_; }
    QPushButton* surfacesButton() const { return surfaces_; }

    /// Rebuilds the list (names, colours, volumes) from the current label map.
    void rebuild();

Q_SIGNALS:
    void buildSurfacesRequested();

private:
    void syncFromState();

    ViewerState* state_;
    QCheckBox* show_;
    QSlider* opacity_;
    QLabel* opacityValue_;
    QTreeWidget* list_;
    QPushButton* surfaces_;
    bool updating_{false};
};

} // namespace strata::ui

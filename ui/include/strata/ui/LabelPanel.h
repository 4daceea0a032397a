#pragma once

#include <QWidget>

class QCheckBox;
class QComboBox;
class QSlider;
class QTreeWidget;
class QPushButton;
class QLabel;
class QColor;
class QPoint;

namespace strata::ui {

class ViewerState;

/// Label overlay controls and legend: which of the image's label maps is shown (run results, loaded files, edited
/// copies), overlay on/off, opacity, one checkbox + colour swatch + name per label.
/// Double-click a name to rename the label, elsewhere on its row (or the context menu) to change its colour; the
/// names and colours are remembered per label table (LabelAppearanceStore) and given to it whenever it is shown.
class LabelPanel : public QWidget {
    Q_OBJECT
public:
    explicit LabelPanel(ViewerState* state, QWidget* parent = nullptr);

    QTreeWidget* labelList() const { return list_; }
    QSlider* opacitySlider() const { return opacity_; }
    QCheckBox* overlayCheckBox() const { return show_; }
    QPushButton* surfacesButton() const { return surfaces_; }
    /// The dataset's label maps; choosing one asks for it to be shown (labelMapChosen).
    QComboBox* labelMapCombo() const { return maps_; }

    /// Rebuilds the list (names, colours, volumes) from the current label map.
    void rebuild();
    /// Renames and recolours label `id` of the current label map, and remembers it for its table.
    void setAppearance(int id, const QString& name, const QColor& colour);

Q_SIGNALS:
    void buildSurfacesRequested();
    /// The user chose label map `index` of the dataset's LabelMapSet.
    void labelMapChosen(int index);

private:
    void syncFromState();
    void showContextMenu(const QPoint& pos);
    void chooseColour(int id);

    void rebuildMapList();

    ViewerState* state_;
    QComboBox* maps_;
    QCheckBox* show_;
    QSlider* opacity_;
    QLabel* opacityValue_;
    QTreeWidget* list_;
    QPushButton* surfaces_;
    bool updating_{false};
};

} // namespace strata::ui

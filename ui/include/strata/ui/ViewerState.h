#pragma once

#include "strata/ui/Dataset.h"
#include "strata/ui/WindowLevel.h"

#include <QObject>

#include <array>
#include <memory>
#include <optional>

namespace strata::ui {

/// What every view shows: the current dataset, the shared cursor (a voxel index), window/level and the
/// label overlay settings. Views observe it and change it; it knows nothing about widgets.
class ViewerState : public QObject {
    Q_OBJECT
public:
    using Index = std::array<int, 3>;

    explicit ViewerState(QObject* parent = nullptr);

    const std::shared_ptr<Dataset>& dataset() const { return dataset_; }
    /// Shows `dataset` (or nothing): cursor to the centre, automatic window/level, every label visible.
    void setDataset(std::shared_ptr<Dataset> dataset);
    /// Call after the dataset's label map was replaced.
    void notifyLabelsChanged();
    /// Call after voxels of the dataset's label map were edited in place (visibility is kept; views repaint).
    void notifyLabelsEdited();
    /// Call after label names or colours of the dataset's label table changed (views repaint and recolour).
    void notifyLabelAppearanceChanged();

    const Index& cursor() const { return cursor_; }
    /// Moves the cursor (clamped to the image).
    void setCursor(Index index);
    /// World position of the cursor (LPS, mm).
    Vec3 cursorWorld() const;
    /// Image value at the cursor (component 0), NaN without an image.
    double cursorValue() const;
    /// Label id at the cursor (0 when none).
    int cursorLabel() const;

    /// The voxel under the mouse in a slice view (none when the mouse is outside the images): the status bar reads
    /// it out while it is set, the cursor otherwise.
    const std::optional<Index>& hover() const { return hover_; }
    void setHover(std::optional<Index> index);
    /// World position (LPS, mm), image value (NaN without an image), label id (0 when none) and thickness map value
    /// (mm, NaN without a map or outside it) at a voxel of the image.
    Vec3 worldAt(const Index& index) const;
    double valueAt(const Index& index) const;
    int labelAt(const Index& index) const;
    double thicknessAt(const Index& index) const;

    const WindowLevel& windowLevel() const { return windowLevel_; }
    void setWindowLevel(WindowLevel wl);
    /// Window/level from the given percentiles of the current image.
    WindowLevel autoWindowLevel(double lowPercentile = 1.0, double highPercentile = 99.0) const;

    double overlayOpacity() const { return opacity_; }
    void setOverlayOpacity(double opacity);
    bool overlayVisible() const { return overlayVisible_; }
    void setOverlayVisible(bool visible);
    bool labelVisible(int id) const { return id >= 0 && id < 256 && visible_[static_cast<std::size_t>(id)]; }
    void setLabelVisible(int id, bool visible);
    void setAllLabelsVisible(bool visible);
    const std::array<bool, 256>& labelVisibility() const { return visible_; }
    /// Shows only label `id` (0: every label again).
    void soloLabel(int id);

    /// The thickness map as a colour overlay instead of the labels (when the dataset has one).
    bool thicknessVisible() const { return thicknessVisible_; }
    /// Slice views interpolate between voxels (Edit > Preferences; else each voxel is drawn as a square).
    bool smoothSlices() const { return smoothSlices_; }
    void setSmoothSlices(bool smooth);
    void setThicknessVisible(bool visible);

Q_SIGNALS:
    void datasetChanged();
    void labelsChanged();
    void labelsEdited();
    void labelAppearanceChanged();
    void cursorChanged();
    void hoverChanged();
    void windowLevelChanged();
    void overlayChanged();

private:
    std::shared_ptr<Dataset> dataset_;
    Index cursor_{0, 0, 0};
    std::optional<Index> hover_;
    WindowLevel windowLevel_;
    double opacity_{0.5};
    bool overlayVisible_{true};
    bool thicknessVisible_{false};
    bool smoothSlices_{false};
    std::array<bool, 256> visible_{};
};

} // namespace strata::ui

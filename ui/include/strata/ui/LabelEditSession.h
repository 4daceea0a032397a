#pragma once

#include <strata/edit/LabelEditHistory.h>
#include <strata/edit/LabelStroke.h>

#include <nlohmann/json.hpp>

#include <QObject>
#include <QString>

#include <filesystem>
#include <memory>
#include <optional>
#include <set>

namespace strata::ui {

class ViewerState;

enum class EditTool { None, Brush, Eraser, Fill };

/// Hand correction of the shown dataset's label map (issue 20): the tool (brush, eraser, 2D fill), the active
/// label, brush size in mm (disc in the view's slice or ball), paint-over rule and intensity range; strokes change
/// the labels at once (views repaint through ViewerState::labelsEdited) and go into an undo history of deltas
/// within a memory budget. The first edit copies the dataset's labels into an editable map that replaces them in
/// the dataset. Saving writes the labels and <file>.edits.json (what was changed, for provenance). Qt-free core
/// in strata/edit; this class only holds the state the GUI needs.
class LabelEditSession : public QObject {
    Q_OBJECT
public:
    explicit LabelEditSession(ViewerState* state, QObject* parent = nullptr);

    EditTool tool() const { return tool_; }
    void setTool(EditTool tool);
    bool editing() const { return tool_ != EditTool::None; }
    /// The id the brush and fill paint (the eraser paints 0).
    int activeLabel() const { return activeLabel_; }
    void setActiveLabel(int id);
    double brushRadiusMm() const { return brush_.radiusMm; }
    void setBrushRadiusMm(double mm);
    /// [ and ]: the radius by a factor 1.25 per step, 0.2 to 50 mm.
    void growBrush(int steps);
    bool brush3D() const { return brush_.sphere; }
    void setBrush3D(bool sphere);
    const edit::PaintRule& rule() const { return rule_; }
    void setRule(const edit::PaintRule& rule);

    /// A brush or eraser stroke at voxel `index` in a view looking along index axis `axis`; the fill tool fills
    /// the region under `index` in that slice at once.
    void beginStroke(const Vec3& index, int axis);
    void continueStroke(const Vec3& index);
    void endStroke();
    bool stroking() const { return stroke_.has_value(); }

    bool undo();
    bool redo();
    bool canUndo() const { return history_.canUndo(); }
    bool canRedo() const { return history_.canRedo(); }
    /// Whole-label clean-ups, one undo step each.
    void keepLargestComponent(int label);
    void removeIslands(int label, std::size_t minVoxels);
    /// Fills the slices between those where `label` was drawn (across the axis of the last view painted in; axial
    /// index axis 2 before any stroke) by shape-based interpolation; one undo step.
    void interpolateBetweenSlices(int label);

    const edit::LabelEditHistory& history() const { return history_; }
    /// The label ids the edits changed (painted or painted over) since the last call; for updating their surfaces.
    std::set<int> takeTouchedLabels();
    /// Edits not saved yet.
    bool dirty() const { return history_.dirty(); }
    /// What the edits since loading or saving did: {"edited": true, "edits", "voxels_changed": {label name:
    /// +/- voxels}, "editing_seconds"}.
    nlohmann::json editsJson() const;
    /// Writes the labels (format from the extension) and <path>.edits.json; marks the edits saved.
    void save(const std::filesystem::path& path);
    /// "Brush 2.0 mm (disc) on femoral_cartilage (4) · undo 3 steps, 0.1 of 256 MiB".
    QString statusText() const;

Q_SIGNALS:
    void toolChanged();
    /// The labels or the undo history changed.
    void editsChanged();

private:
    LabelMap* editableLabels();
    const Image* intensity() const;
    void applied(edit::LabelDelta delta);
    /// Adds the labels a delta changes to touched_.
    void touch(const edit::LabelDelta& delta);
    void onDatasetChanged();

    ViewerState* state_;
    EditTool tool_{EditTool::None};
    int activeLabel_{1};
    edit::BrushShape brush_;
    edit::PaintRule rule_;
    edit::LabelEditHistory history_;
    std::shared_ptr<LabelMap> editable_;
    std::optional<edit::LabelStroke> stroke_;
    std::set<int> touched_;
    Vec3 lastIndex_{0, 0, 0};
};

} // namespace strata::ui

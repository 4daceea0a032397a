#include "strata/ui/LabelEditSession.h"

#include "strata/ui/ViewerState.h"

#include <strata/Error.h>
#include <strata/ImageIO.h>
#include <strata/edit/LabelOperations.h>
#include <strata/edit/SliceInterpolation.h>

#include <algorithm>
#include <cmath>
#include <fstream>

namespace strata::ui {

LabelEditSession::LabelEditSession(ViewerState* state, QObject* parent) : QObject(parent), state_(state)
{
    connect(state_, &ViewerState::datasetChanged, this, &LabelEditSession::onDatasetChanged);
    connect(state_, &ViewerState::labelsChanged, this, &LabelEditSession::onDatasetChanged);
}

void LabelEditSession::onDatasetChanged()
{
    // Another dataset, or its labels replaced from outside (a result loaded): the history belongs to the old ones.
    const auto ds = state_->dataset();
    if (editable_ && ds && ds->labels.get() == editable_.get()) return;
    stroke_.reset();
    editable_.reset();
    history_.clear();
    touched_.clear();
    Q_EMIT editsChanged();
}

void LabelEditSession::setTool(EditTool tool)
{
    if (tool == tool_) return;
    if (stroke_) endStroke();
    tool_ = tool;
    Q_EMIT toolChanged();
}

void LabelEditSession::setActiveLabel(int id)
{
    activeLabel_ = std::clamp(id, 1, 255);
    Q_EMIT toolChanged();
}

void LabelEditSession::setBrushRadiusMm(double mm)
{
    brush_.radiusMm = std::clamp(mm, 0.2, 50.0);
    Q_EMIT toolChanged();
}

void LabelEditSession::growBrush(int steps)
{
    setBrushRadiusMm(brush_.radiusMm * std::pow(1.25, steps));
}

void LabelEditSession::setBrush3D(bool sphere)
{
    brush_.sphere = sphere;
    Q_EMIT toolChanged();
}

void LabelEditSession::setRule(const edit::PaintRule& rule)
{
    rule_ = rule;
    Q_EMIT toolChanged();
}

LabelMap* LabelEditSession::editableLabels()
{
    const auto ds = state_->dataset();
    if (!ds || !ds->labels) return nullptr;
    if (!editable_ || ds->labels.get() != editable_.get()) {
        LabelMapEntry* shown = ds->labelMaps.shown();
        if (shown && shown->editable && shown->labels.get() == ds->labels.get()) {
            editable_ = shown->editable; // an edited copy shown again: the edits go on in it
        } else {
            // The shown map stays as it was (a run's result, a loaded file) next to the copy the edits go into.
            editable_ = std::make_shared<LabelMap>(*ds->labels);
            const std::string of = shown ? shown->name : std::string("the labels");
            ds->addLabelMap({"edited copy of " + of, editable_, {}, editable_, shown ? shown->loadedTable : LabelTable{}});
        }
        history_.clear();
    }
    return editable_.get();
}

const Image* LabelEditSession::intensity() const
{
    const auto ds = state_->dataset();
    return ds && ds->image && ds->labels && ds->image->size() == ds->labels->image().size() ? ds->image.get() : nullptr;
}

void LabelEditSession::beginStroke(const Vec3& index, int axis)
{
    if (!editing()) return;
    LabelMap* labels = editableLabels();
    if (!labels) return;
    edit::PaintRule rule = rule_;
    if (rule.limitsIntensity() && !intensity()) rule.minIntensity = 1, rule.maxIntensity = 0; // no image: no range
    brush_.axis = axis; // also the axis interpolation works across
    if (tool_ == EditTool::Fill) {
        const std::array<long, 3> seed{std::lround(index[0]), std::lround(index[1]), std::lround(index[2])};
        applied(edit::floodFill2D(*labels, intensity(), seed, axis, static_cast<std::uint8_t>(activeLabel_), rule));
        return;
    }
    brush_.axis = axis;
    const auto value = static_cast<std::uint8_t>(tool_ == EditTool::Eraser ? 0 : activeLabel_);
    stroke_.emplace(*labels, intensity(), value, rule);
    lastIndex_ = index;
    if (stroke_->stamp(index, brush_) > 0) state_->notifyLabelsEdited();
}

void LabelEditSession::continueStroke(const Vec3& index)
{
    if (!stroke_) return;
    if (stroke_->line(lastIndex_, index, brush_) > 0) state_->notifyLabelsEdited();
    lastIndex_ = index;
}

void LabelEditSession::endStroke()
{
    if (!stroke_) return;
    edit::LabelDelta delta = stroke_->finish();
    stroke_.reset();
    touch(delta);
    history_.push(std::move(delta));
    Q_EMIT editsChanged();
}

void LabelEditSession::touch(const edit::LabelDelta& delta)
{
    for (const auto& [id, n] : delta.changePerLabel())
        if (id != 0) touched_.insert(id);
}

std::set<int> LabelEditSession::takeTouchedLabels()
{
    std::set<int> out;
    out.swap(touched_);
    return out;
}

void LabelEditSession::applied(edit::LabelDelta delta)
{
    if (delta.empty()) return;
    touch(delta);
    history_.push(std::move(delta));
    state_->notifyLabelsEdited();
    Q_EMIT editsChanged();
}

bool LabelEditSession::undo()
{
    if (stroke_) endStroke();
    if (const auto* d = history_.nextUndo()) touch(*d);
    if (!editable_ || !history_.undo(*editable_)) return false;
    state_->notifyLabelsEdited();
    Q_EMIT editsChanged();
    return true;
}

bool LabelEditSession::redo()
{
    if (const auto* d = history_.nextRedo()) touch(*d);
    if (!editable_ || !history_.redo(*editable_)) return false;
    state_->notifyLabelsEdited();
    Q_EMIT editsChanged();
    return true;
}

void LabelEditSession::keepLargestComponent(int label)
{
    if (LabelMap* labels = editableLabels()) applied(edit::keepLargestComponent(*labels, label));
}

void LabelEditSession::interpolateBetweenSlices(int label)
{
    if (LabelMap* labels = editableLabels()) applied(edit::interpolateBetweenSlices(*labels, label, brush_.axis));
}

void LabelEditSession::removeIslands(int label, std::size_t minVoxels)
{
    if (LabelMap* labels = editableLabels()) applied(edit::removeIslands(*labels, label, minVoxels));
}

nlohmann::json LabelEditSession::editsJson() const
{
    nlohmann::json changed = nlohmann::json::object();
    const auto ds = state_->dataset();
    for (const auto& [id, n] : history_.changePerLabel()) {
        const auto info = ds && ds->labels ? ds->labels->table().find(id) : std::nullopt;
        changed[info ? info->name : (id == 0 ? std::string("background") : std::to_string(id))] = n;
    }
    return {{"edited", history_.edits() != 0 || !changed.empty()},
            {"edits", history_.edits()},
            {"voxels_changed", changed},
            {"editing_seconds", std::round(history_.editingSeconds() * 10.0) / 10.0}};
}

void LabelEditSession::save(const std::filesystem::path& path)
{
    const auto ds = state_->dataset();
    if (!ds || !ds->labels) throw InvalidArgument("There is no label map to save.");
    if (stroke_) endStroke();
    writeLabelMap(*ds->labels, path);
    std::ofstream sidecar(path.string() + ".edits.json");
    sidecar << editsJson().dump(2) << '\n';
    if (!sidecar) throw IoError("Cannot write '" + path.string() + ".edits.json'.");
    ds->labelsPath = path;
    if (LabelMapEntry* shown = ds->labelMaps.shown(); shown && shown->labels == ds->labels) shown->path = path;
    history_.markSaved();
    Q_EMIT editsChanged();
}

QString LabelEditSession::statusText() const
{
    const auto ds = state_->dataset();
    QString what;
    switch (tool_) {
    case EditTool::None: what = tr("Not editing"); break;
    case EditTool::Brush: what = tr("Brush %1 mm (%2)").arg(brush_.radiusMm, 0, 'f', 1).arg(brush_.sphere ? tr("ball") : tr("disc")); break;
    case EditTool::Eraser: what = tr("Eraser %1 mm (%2)").arg(brush_.radiusMm, 0, 'f', 1).arg(brush_.sphere ? tr("ball") : tr("disc")); break;
    case EditTool::Fill: what = tr("Fill"); break;
    }
    if (tool_ == EditTool::Brush || tool_ == EditTool::Fill) {
        const auto info = ds && ds->labels ? ds->labels->table().find(activeLabel_) : std::nullopt;
        what += tr(" on %1 (%2)").arg(info ? QString::fromStdString(info->name) : tr("label"), QString::number(activeLabel_));
    }
    return what + tr(" · undo %1 steps, %2 of %3 MiB")
                      .arg(history_.undoSteps())
                      .arg(static_cast<double>(history_.bytes()) / (1 << 20), 0, 'f', 1)
                      .arg(history_.budget() >> 20);
}

} // namespace strata::ui

#include "strata/ui/MeasureSession.h"

#include "strata/ui/ViewerState.h"

#include <strata/measure/SliceMeasurements.h>

namespace strata::ui {

MeasureSession::MeasureSession(ViewerState* state, QObject* parent) : QObject(parent), state_(state)
{
    connect(state_, &ViewerState::datasetChanged, this, &MeasureSession::clear);
}

void MeasureSession::setTool(MeasureTool tool)
{
    if (tool == tool_) {
        return;
    }
    tool_ = tool;
    pending_.reset();
    dragging_ = false;
    Q_EMIT toolChanged();
    Q_EMIT changed();
}

void MeasureSession::clear()
{
    done_.clear();
    pending_.reset();
    dragging_ = false;
    Q_EMIT changed();
}

void MeasureSession::press(const Vec3& index, int sliceAxis)
{
    if (!active()) {
        return;
    }
    if (tool_ == MeasureTool::Angle && pending_ && pending_->points.size() == 3 && pending_->sliceAxis == sliceAxis) {
        pending_->points[2] = index; // the second arm's end
        dragging_ = true;
        Q_EMIT changed();
        return;
    }
    pending_ = Measurement{tool_, sliceAxis, {index, index}, {}};
    dragging_ = true;
    Q_EMIT changed();
}

void MeasureSession::move(const Vec3& index)
{
    if (!pending_) {
        return;
    }
    if (dragging_ || pending_->points.size() == 3) { // an angle's second arm follows the mouse
        Vec3 at = index;
        at[static_cast<std::size_t>(pending_->sliceAxis)] = pending_->points[0][static_cast<std::size_t>(pending_->sliceAxis)];
        pending_->points.back() = at;
        pending_->text = describe(*pending_);
        pending_->label = shortLabel(*pending_);
        Q_EMIT changed();
    }
}

void MeasureSession::release(const Vec3& index)
{
    if (!pending_ || !dragging_) {
        return;
    }
    move(index);
    dragging_ = false;
    if (pending_->tool == MeasureTool::Angle && pending_->points.size() == 2) {
        pending_->points.push_back(pending_->points[1]); // now the second arm, from the vertex
        Q_EMIT changed();
        return;
    }
    finish();
}

void MeasureSession::finish()
{
    Measurement m = std::move(*pending_);
    pending_.reset();
    const auto& p = m.points;
    const bool empty = p.front() == p.back() || (m.tool == MeasureTool::Angle && p[2] == p[1]);
    if (empty) { // a click without a drag measures nothing
        Q_EMIT changed();
        return;
    }
    m.text = describe(m);
    m.label = shortLabel(m);
    done_.push_back(m);
    Q_EMIT changed();
    Q_EMIT measured(m.text);
}

QString MeasureSession::shortLabel(const Measurement& m)
{
    if (m.tool != MeasureTool::Rectangle && m.tool != MeasureTool::Ellipse) {
        return m.text;
    }
    const int sd = m.text.indexOf(QStringLiteral("  min "));
    return sd > 0 ? m.text.left(sd) : m.text;
}

QString MeasureSession::describe(const Measurement& m) const
{
    const auto ds = state_->dataset();
    if (!ds || !ds->image || m.points.size() < 2) {
        return {};
    }
    const Image& img = *ds->image;
    const auto& p = m.points;
    switch (m.tool) {
    case MeasureTool::Ruler: return tr("%1 mm").arg(measure::distanceMm(img, p[0], p[1]), 0, 'f', 1);
    case MeasureTool::Angle:
        if (p.size() < 3) return tr("%1 mm").arg(measure::distanceMm(img, p[0], p[1]), 0, 'f', 1);
        return QStringLiteral("%1°").arg(measure::angleDegrees(img, p[0], p[1], p[2]), 0, 'f', 1);
    case MeasureTool::Rectangle:
    case MeasureTool::Ellipse: {
        const auto s = measure::roiStatistics(img, m.tool == MeasureTool::Ellipse ? measure::RoiShape::Ellipse
                                                                                   : measure::RoiShape::Rectangle,
                                              m.sliceAxis, p[0], p[1]);
        return tr("mean %1  SD %2  min %3  max %4  n %5  %6 mm²  %7 mm³")
            .arg(s.mean, 0, 'f', 1)
            .arg(s.sd, 0, 'f', 1)
            .arg(s.min, 0, 'g', 6)
            .arg(s.max, 0, 'g', 6)
            .arg(s.voxels)
            .arg(s.areaMm2, 0, 'f', 1)
            .arg(s.volumeMm3, 0, 'f', 1);
    }
    case MeasureTool::None: break;
    }
    return {};
}

} // namespace strata::ui

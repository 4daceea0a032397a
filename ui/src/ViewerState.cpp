#include "strata/ui/ViewerState.h"

#include <strata/ImageOps.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

namespace strata::ui {

ViewerState::ViewerState(QObject* parent) : QObject(parent)
{
    visible_.fill(true);
}

void ViewerState::setDataset(std::shared_ptr<Dataset> dataset)
{
    dataset_ = std::move(dataset);
    hover_.reset();
    visible_.fill(true);
    if (dataset_ && dataset_->image) {
        const auto& s = dataset_->image->size();
        cursor_ = {static_cast<int>(s[0] / 2), static_cast<int>(s[1] / 2), static_cast<int>(s[2] / 2)};
        windowLevel_ = autoWindowLevel();
    } else {
        cursor_ = {0, 0, 0};
    }
    Q_EMIT datasetChanged();
    Q_EMIT cursorChanged();
    Q_EMIT windowLevelChanged();
    Q_EMIT overlayChanged();
}

void ViewerState::notifyLabelsChanged()
{
    visible_.fill(true);
    Q_EMIT labelsChanged();
    Q_EMIT overlayChanged();
}

void ViewerState::notifyLabelsEdited()
{
    Q_EMIT labelsEdited();
}

void ViewerState::setSmoothSlices(bool smooth)
{
    if (smooth == smoothSlices_) {
        return;
    }
    smoothSlices_ = smooth;
    Q_EMIT overlayChanged(); // the views repaint
}

void ViewerState::notifyLabelAppearanceChanged()
{
    Q_EMIT labelAppearanceChanged();
}

void ViewerState::setCursor(Index index)
{
    if (!dataset_ || !dataset_->image) {
        return;
    }
    const auto& s = dataset_->image->size();
    for (std::size_t a = 0; a < 3; ++a) {
        index[a] = std::clamp(index[a], 0, static_cast<int>(s[a]) - 1);
    }
    if (index == cursor_) {
        return;
    }
    cursor_ = index;
    Q_EMIT cursorChanged();
}

Vec3 ViewerState::cursorWorld() const
{
    return worldAt(cursor_);
}

double ViewerState::cursorValue() const
{
    return valueAt(cursor_);
}

int ViewerState::cursorLabel() const
{
    return labelAt(cursor_);
}

void ViewerState::setHover(std::optional<Index> index)
{
    if (index && (!dataset_ || !dataset_->image)) {
        index.reset();
    }
    if (index == hover_) {
        return;
    }
    hover_ = index;
    Q_EMIT hoverChanged();
}

Vec3 ViewerState::worldAt(const Index& index) const
{
    if (!dataset_ || !dataset_->image) {
        return {0, 0, 0};
    }
    return dataset_->image->indexToWorld({double(index[0]), double(index[1]), double(index[2])});
}

double ViewerState::valueAt(const Index& index) const
{
    if (!dataset_ || !dataset_->image) {
        return std::numeric_limits<double>::quiet_NaN();
    }
    return dataset_->image->valueAt(static_cast<std::size_t>(index[0]), static_cast<std::size_t>(index[1]),
                                    static_cast<std::size_t>(index[2]));
}

namespace {

/// The voxel of `grid` at a world position (nearest), none outside it.
std::optional<std::array<std::size_t, 3>> voxelOf(const Image& grid, const Vec3& world)
{
    const Vec3 idx = grid.worldToIndex(world);
    std::array<std::size_t, 3> ii{};
    for (std::size_t a = 0; a < 3; ++a) {
        const double r = std::round(idx[a]);
        if (r < 0 || r >= static_cast<double>(grid.size()[a])) {
            return std::nullopt;
        }
        ii[a] = static_cast<std::size_t>(r);
    }
    return ii;
}

} // namespace

int ViewerState::labelAt(const Index& index) const
{
    if (!dataset_ || !dataset_->labels) {
        return 0;
    }
    const Image& li = dataset_->labels->image();
    const auto v = voxelOf(li, worldAt(index));
    return v ? static_cast<int>(li.valueAt((*v)[0], (*v)[1], (*v)[2])) : 0;
}

double ViewerState::thicknessAt(const Index& index) const
{
    if (!dataset_ || !dataset_->thickness) {
        return std::numeric_limits<double>::quiet_NaN();
    }
    const Image& t = *dataset_->thickness;
    const auto v = voxelOf(t, worldAt(index));
    return v ? t.valueAt((*v)[0], (*v)[1], (*v)[2]) : std::numeric_limits<double>::quiet_NaN();
}

void ViewerState::setWindowLevel(WindowLevel wl)
{
    wl.window = std::max(wl.window, 1e-6);
    if (wl == windowLevel_) {
        return;
    }
    windowLevel_ = wl;
    Q_EMIT windowLevelChanged();
}

WindowLevel ViewerState::autoWindowLevel(double lowPercentile, double highPercentile) const
{
    if (!dataset_ || !dataset_->image) {
        return {};
    }
    double lo = 0, hi = 1;
    if (lowPercentile <= 0.0 && highPercentile >= 100.0) {
        lo = dataset_->minValue;
        hi = dataset_->maxValue;
    } else if (lowPercentile == 1.0 && highPercentile == 99.0) {
        lo = dataset_->p1;
        hi = dataset_->p99;
    } else {
        lo = percentile(*dataset_->image, lowPercentile);
        hi = percentile(*dataset_->image, highPercentile);
    }
    if (hi <= lo) {
        hi = lo + 1.0;
    }
    return {hi - lo, (hi + lo) / 2.0};
}

void ViewerState::setOverlayOpacity(double opacity)
{
    opacity = std::clamp(opacity, 0.0, 1.0);
    if (opacity == opacity_) {
        return;
    }
    opacity_ = opacity;
    Q_EMIT overlayChanged();
}

void ViewerState::setOverlayVisible(bool visible)
{
    if (visible == overlayVisible_) {
        return;
    }
    overlayVisible_ = visible;
    Q_EMIT overlayChanged();
}

void ViewerState::setLabelVisible(int id, bool visible)
{
    if (id < 0 || id > 255 || visible_[static_cast<std::size_t>(id)] == visible) {
        return;
    }
    visible_[static_cast<std::size_t>(id)] = visible;
    Q_EMIT overlayChanged();
}

void ViewerState::setAllLabelsVisible(bool visible)
{
    visible_.fill(visible);
    Q_EMIT overlayChanged();
}

void ViewerState::soloLabel(int id)
{
    if (id <= 0 || id > 255) {
        visible_.fill(true);
    } else {
        visible_.fill(false);
        visible_[static_cast<std::size_t>(id)] = true;
    }
    Q_EMIT overlayChanged();
}

void ViewerState::setThicknessVisible(bool visible)
{
    if (visible == thicknessVisible_) {
        return;
    }
    thicknessVisible_ = visible;
    Q_EMIT overlayChanged();
}

} // namespace strata::ui

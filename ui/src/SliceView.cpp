#include "strata/ui/SliceView.h"

#include "strata/ui/ColourMap.h"
#include "strata/ui/LabelEditSession.h"
#include "strata/ui/MeasureSession.h"
#include "strata/ui/SliceRenderer.h"
#include "strata/ui/ViewerState.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QFontMetrics>
#include <QPainter>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace strata::ui {
namespace {
const QColor kPlaneColour[3] = {QColor(230, 80, 80), QColor(90, 200, 90), QColor(230, 210, 70)};
}

SliceView::SliceView(ViewPlane plane, ViewerState* state, QWidget* parent)
    : QWidget(parent), plane_(plane), state_(state)
{
    setFocusPolicy(Qt::StrongFocus);
    setMinimumSize(120, 120);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMouseTracking(true); // the status bar reads out the voxel under the mouse
    setCursor(Qt::CrossCursor);
    connect(state_, &ViewerState::datasetChanged, this, &SliceView::onDatasetChanged);
    connect(state_, &ViewerState::cursorChanged, this, [this] {
        if (slice() != renderedSlice_) {
            invalidate();
        } else {
            update();
        }
    });
    connect(state_, &ViewerState::windowLevelChanged, this, &SliceView::invalidate);
    connect(state_, &ViewerState::overlayChanged, this, &SliceView::invalidate);
    connect(state_, &ViewerState::labelsChanged, this, &SliceView::invalidate);
    connect(state_, &ViewerState::labelsEdited, this, &SliceView::invalidate);
    connect(state_, &ViewerState::labelAppearanceChanged, this, &SliceView::invalidate);
}

int SliceView::slice() const
{
    return state_->cursor()[static_cast<std::size_t>(mapping_.sliceAxis())];
}

void SliceView::onDatasetChanged()
{
    const auto ds = state_->dataset();
    mapping_ = ds && ds->image ? SliceMapping::compute(*ds->image, plane_) : SliceMapping{};
    video_ = ds && ds->isVideo();
    patientAxes_ = !ds || ds->hasPatientAxes();
    zoom_ = 1.0;
    pan_ = {0, 0};
    invalidate();
}

void SliceView::invalidate()
{
    dirty_ = true;
    update();
}

const QImage& SliceView::sliceImage()
{
    if (dirty_) {
        const auto ds = state_->dataset();
        if (ds && ds->image) {
            OverlaySettings overlay;
            overlay.visible = state_->overlayVisible();
            overlay.opacity = state_->overlayOpacity();
            overlay.labelVisible = &state_->labelVisibility();
            overlay.thickness = state_->thicknessVisible();
            image_ = SliceRenderer::render(*ds, mapping_, slice(), state_->windowLevel(), overlay);
            renderedSlice_ = slice();
        } else {
            image_ = QImage();
            renderedSlice_ = -1;
        }
        dirty_ = false;
    }
    return image_;
}

QRectF SliceView::imageRect() const
{
    if (mapping_.width() <= 0) {
        return {};
    }
    const double wMm = mapping_.width() * mapping_.pixelWidthMm();
    const double hMm = mapping_.height() * mapping_.pixelHeightMm();
    const double margin = 4.0;
    const double fit = std::min((width() - 2 * margin) / wMm, (height() - 2 * margin) / hMm);
    const double scale = std::max(fit, 1e-3) * zoom_; // screen pixels per mm
    const double w = wMm * scale, h = hMm * scale;
    return {width() / 2.0 - w / 2.0 + pan_.x(), height() / 2.0 - h / 2.0 + pan_.y(), w, h};
}

QPointF SliceView::widgetPosOfIndex(const std::array<int, 3>& index) const
{
    const QRectF r = imageRect();
    if (r.isEmpty()) {
        return {};
    }
    const auto uv = mapping_.pixelOf({double(index[0]), double(index[1]), double(index[2])});
    return {r.left() + (uv[0] + 0.5) * r.width() / mapping_.width(),
            r.top() + (uv[1] + 0.5) * r.height() / mapping_.height()};
}

std::array<int, 3> SliceView::indexAtWidgetPos(const QPointF& pos) const
{
    const QRectF r = imageRect();
    std::array<int, 3> idx = state_->cursor();
    if (r.isEmpty()) {
        return idx;
    }
    const double u = std::floor((pos.x() - r.left()) * mapping_.width() / r.width());
    const double v = std::floor((pos.y() - r.top()) * mapping_.height() / r.height());
    const Vec3 f = mapping_.indexOf(std::clamp(u, 0.0, mapping_.width() - 1.0), std::clamp(v, 0.0, mapping_.height() - 1.0),
                                    slice());
    for (std::size_t a = 0; a < 3; ++a) {
        idx[a] = static_cast<int>(std::lround(f[a]));
    }
    return idx;
}

void SliceView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.fillRect(rect(), Qt::black);
    const QColor accent = kPlaneColour[static_cast<int>(plane_)];
    const QImage& img = sliceImage();
    QFont f = font();
    f.setPointSizeF(std::max(7.0, f.pointSizeF() * 0.9));
    p.setFont(f);
    if (!img.isNull()) {
        const QRectF r = imageRect();
        p.setRenderHint(QPainter::SmoothPixmapTransform, state_->smoothSlices());
        p.drawImage(r, img);

        // Crosshair through the cursor voxel's centre, with a gap around it.
        const QPointF c = widgetPosOfIndex(state_->cursor());
        const double gap = 6.0;
        p.setPen(QPen(QColor(80, 170, 255, 220), 1.0));
        p.drawLine(QPointF(r.left(), c.y()), QPointF(c.x() - gap, c.y()));
        p.drawLine(QPointF(c.x() + gap, c.y()), QPointF(r.right(), c.y()));
        p.drawLine(QPointF(c.x(), r.top()), QPointF(c.x(), c.y() - gap));
        p.drawLine(QPointF(c.x(), c.y() + gap), QPointF(c.x(), r.bottom()));

        // Orientation letters at the edges (not for photos and videos: no patient axes there).
        const QRect wr = rect().adjusted(4, 4, -4, -4);
        if (patientAxes_) {
            p.setPen(QColor(255, 220, 120));
            p.drawText(wr, Qt::AlignLeft | Qt::AlignVCenter, SliceMapping::edgeLetter(plane_, 0));
            p.drawText(wr, Qt::AlignRight | Qt::AlignVCenter, SliceMapping::edgeLetter(plane_, 1));
            p.drawText(wr, Qt::AlignHCenter | Qt::AlignTop, SliceMapping::edgeLetter(plane_, 2));
            p.drawText(wr, Qt::AlignHCenter | Qt::AlignBottom, SliceMapping::edgeLetter(plane_, 3));
        }

        p.setPen(QColor(220, 220, 220));
        const auto& wl = state_->windowLevel();
        const QString sliceText = (video_ && plane_ == ViewPlane::Axial ? tr("Frame %1/%2") : tr("Slice %1/%2"))
                                      .arg(slice() + 1)
                                      .arg(mapping_.sliceCount());
        const QString wlText = QStringLiteral("W %1  L %2").arg(wl.window, 0, 'g', 5).arg(wl.level, 0, 'g', 5);
        // Bottom texts: slice left, W / L right, both clear of the orientation letter at the bottom centre; in a
        // narrow view they move up a line, and W / L one more when the two do not fit side by side.
        const QFontMetrics fm(p.font());
        const int em = fm.horizontalAdvance(QLatin1Char('M'));
        const int sliceWidth = fm.horizontalAdvance(sliceText), wlWidth = fm.horizontalAdvance(wlText);
        const int besideLetter = wr.width() / 2 - (patientAxes_ ? fm.horizontalAdvance(SliceMapping::edgeLetter(plane_, 3)) / 2 : 0) - em;
        const bool sideBySide = sliceWidth + wlWidth + 3 * em <= wr.width();
        const bool onBottomLine = sideBySide && sliceWidth <= besideLetter && wlWidth <= besideLetter;
        const QRect line1 = onBottomLine ? wr : wr.adjusted(0, 0, 0, -fm.height());
        p.drawText(line1, Qt::AlignLeft | Qt::AlignBottom, sliceText);
        if (sideBySide) p.drawText(line1, Qt::AlignRight | Qt::AlignBottom, wlText);
        else p.drawText(line1.adjusted(0, 0, 0, -fm.height()), Qt::AlignLeft | Qt::AlignBottom, wlText);
        const auto ds = state_->dataset();
        if (state_->thicknessVisible() && state_->overlayVisible() && ds && ds->thickness) {
            ColourMap::drawBar(p, QRectF(wr.right() - 14, wr.top() + 24, 10, std::min(160.0, wr.height() * 0.45)),
                               ds->thicknessMax, QStringLiteral("mm"), ds->thicknessIsChange);
        }
        if (std::abs(zoom_ - 1.0) > 1e-6) {
            p.drawText(wr, Qt::AlignRight | Qt::AlignTop, QStringLiteral("%1%").arg(std::lround(zoom_ * 100)));
        }
    }
    p.setPen(accent);
    const QString title = patientAxes_ ? QString::fromLatin1(viewPlaneName(plane_))
                          : plane_ == ViewPlane::Axial ? (video_ ? tr("Frames") : tr("Image"))
                          : video_                     ? tr("Across frames")
                                                       : QString::fromLatin1(viewPlaneName(plane_));
    p.drawText(rect().adjusted(4, 4, -4, -4), Qt::AlignLeft | Qt::AlignTop, title);
    drawMeasurements(p);
    drawBrushOutline(p);
    p.setPen(QPen(hasFocus() ? accent : accent.darker(250), hasFocus() ? 2 : 1));
    p.setBrush(Qt::NoBrush);
    p.drawRect(QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5));
    if (!img.isNull()) {
        Q_EMIT frameRendered();
    }
}

void SliceView::moveCursorTo(const QPointF& pos)
{
    state_->setCursor(indexAtWidgetPos(pos));
}

void SliceView::setEditSession(LabelEditSession* session)
{
    edit_ = session;
    if (!edit_) return;
    const auto sync = [this] {
        const bool on = edit_->editing();
        setCursor(on ? Qt::BlankCursor : Qt::CrossCursor);
        if (!on) mousePos_.reset();
        update();
    };
    connect(edit_, &LabelEditSession::toolChanged, this, sync);
    sync();
}

void SliceView::setMeasureSession(MeasureSession* session)
{
    measure_ = session;
    if (!measure_) return;
    connect(measure_, &MeasureSession::changed, this, qOverload<>(&QWidget::update));
}

QPointF SliceView::widgetPosOf(const Vec3& index) const
{
    const QRectF r = imageRect();
    if (r.isEmpty()) return {};
    const auto uv = mapping_.pixelOf(index);
    return {r.left() + (uv[0] + 0.5) * r.width() / mapping_.width(), r.top() + (uv[1] + 0.5) * r.height() / mapping_.height()};
}

void SliceView::drawMeasurements(QPainter& p) const
{
    if (!measure_ || mapping_.width() <= 0) return;
    const auto axis = static_cast<std::size_t>(mapping_.sliceAxis());
    std::vector<const Measurement*> shown;
    for (const auto& m : measure_->measurements()) shown.push_back(&m);
    if (measure_->pending()) shown.push_back(measure_->pending());
    p.save();
    p.setRenderHint(QPainter::Antialiasing);
    const QFontMetricsF fm(p.font());
    for (const Measurement* m : shown) {
        if (m->sliceAxis != mapping_.sliceAxis() || m->points.empty() || std::lround(m->points[0][axis]) != slice()) {
            continue;
        }
        std::vector<QPointF> q;
        for (const auto& pt : m->points) q.push_back(widgetPosOf(pt));
        const QColor colour = m == measure_->pending() ? QColor(255, 240, 120) : QColor(255, 210, 40);
        p.setPen(QPen(colour, 1.5));
        p.setBrush(Qt::NoBrush);
        QPointF anchor = q.back();
        switch (m->tool) {
        case MeasureTool::Ruler:
        case MeasureTool::Angle:
            for (std::size_t i = 0; i + 1 < q.size(); ++i) p.drawLine(q[i], q[i + 1]);
            for (const auto& pt : q) p.drawEllipse(pt, 2.5, 2.5);
            if (m->tool == MeasureTool::Angle && q.size() == 3) anchor = q[1];
            break;
        case MeasureTool::Rectangle:
        case MeasureTool::Ellipse: {
            // Around the voxels it holds: half a voxel beyond the corner centres.
            const QRectF box = QRectF(q[0], q[1]).normalized();
            const double hu = imageRect().width() / mapping_.width() / 2, hv = imageRect().height() / mapping_.height() / 2;
            const QRectF outline = box.adjusted(-hu, -hv, hu, hv);
            if (m->tool == MeasureTool::Ellipse) p.drawEllipse(outline);
            else p.drawRect(outline);
            anchor = outline.bottomLeft() + QPointF(0, fm.ascent() + 2);
            break;
        }
        case MeasureTool::None: break;
        }
        if (!m->label.isEmpty()) {
            QRectF textBox(anchor + QPointF(6, -fm.ascent()), QSizeF(fm.horizontalAdvance(m->label) + 6, fm.height()));
            // Kept inside the view.
            textBox.moveLeft(std::clamp(textBox.left(), 2.0, std::max(2.0, width() - textBox.width() - 2)));
            textBox.moveTop(std::clamp(textBox.top(), 2.0, std::max(2.0, height() - textBox.height() - 2)));
            p.fillRect(textBox.adjusted(-3, -1, 0, 1), QColor(0, 0, 0, 160));
            p.drawText(textBox, Qt::AlignLeft | Qt::AlignVCenter, m->label);
        }
    }
    p.restore();
}

Vec3 SliceView::continuousIndexAt(const QPointF& pos) const
{
    const QRectF r = imageRect();
    if (r.width() <= 0 || r.height() <= 0) return {0, 0, 0};
    const double u = (pos.x() - r.left()) / r.width() * mapping_.width() - 0.5;
    const double v = (pos.y() - r.top()) / r.height() * mapping_.height() - 0.5;
    return mapping_.indexOf(u, v, slice());
}

void SliceView::drawBrushOutline(QPainter& p) const
{
    if (!edit_ || !edit_->editing() || !mousePos_ || mapping_.width() <= 0) return;
    const QRectF r = imageRect();
    p.setRenderHint(QPainter::Antialiasing);
    p.setBrush(Qt::NoBrush);
    p.setPen(QPen(edit_->tool() == EditTool::Eraser ? QColor(255, 255, 255) : QColor(255, 220, 60), 1.2));
    if (edit_->tool() == EditTool::Fill) { // a small cross: the fill starts at the voxel under it
        p.drawLine(*mousePos_ - QPointF(6, 0), *mousePos_ + QPointF(6, 0));
        p.drawLine(*mousePos_ - QPointF(0, 6), *mousePos_ + QPointF(0, 6));
        return;
    }
    const double rx = edit_->brushRadiusMm() / mapping_.pixelWidthMm() * r.width() / mapping_.width();
    const double ry = edit_->brushRadiusMm() / mapping_.pixelHeightMm() * r.height() / mapping_.height();
    p.drawEllipse(*mousePos_, rx, ry);
}

void SliceView::leaveEvent(QEvent* e)
{
    mousePos_.reset();
    state_->setHover(std::nullopt);
    update();
    QWidget::leaveEvent(e);
}

void SliceView::mousePressEvent(QMouseEvent* e)
{
    dragButton_ = e->button();
    dragStart_ = e->position();
    panStart_ = pan_;
    wlStartWindow_ = state_->windowLevel().window;
    wlStartLevel_ = state_->windowLevel().level;
    if (dragButton_ == Qt::LeftButton && measure_ && measure_->active() && !(e->modifiers() & Qt::ShiftModifier)) {
        measuring_ = true;
        measure_->press(continuousIndexAt(e->position()), mapping_.sliceAxis());
    } else if (dragButton_ == Qt::LeftButton && edit_ && edit_->editing() && !(e->modifiers() & Qt::ShiftModifier)) {
        painting_ = true;
        edit_->beginStroke(continuousIndexAt(e->position()), mapping_.sliceAxis());
    } else if (dragButton_ == Qt::LeftButton) {
        moveCursorTo(e->position());
    }
    e->accept();
}

void SliceView::mouseMoveEvent(QMouseEvent* e)
{
    const QPointF d = e->position() - dragStart_;
    if (imageRect().contains(e->position())) {
        state_->setHover(indexAtWidgetPos(e->position()));
    } else {
        state_->setHover(std::nullopt);
    }
    if (edit_ && edit_->editing()) {
        mousePos_ = e->position();
        update();
    }
    if (painting_) {
        edit_->continueStroke(continuousIndexAt(e->position()));
        e->accept();
        return;
    }
    if (measure_ && measure_->active() &&
        (measuring_ || (measure_->pending() && measure_->pending()->sliceAxis == mapping_.sliceAxis()))) {
        measure_->move(continuousIndexAt(e->position()));
        e->accept();
        return;
    }
    switch (dragButton_) {
    case Qt::LeftButton: moveCursorTo(e->position()); break;
    case Qt::MiddleButton:
        pan_ = panStart_ + d;
        update();
        break;
    case Qt::RightButton: {
        // Horizontal drag: window (contrast), vertical drag: level (brightness); scaled to the image's range.
        const auto ds = state_->dataset();
        const double range = ds ? std::max(ds->p99 - ds->p1, 1e-6) : 1.0;
        const double k = range / 300.0;
        WindowLevel wl{std::max(wlStartWindow_ + d.x() * k, range * 1e-3), wlStartLevel_ - d.y() * k};
        state_->setWindowLevel(wl);
        break;
    }
    default: break;
    }
    e->accept();
}

void SliceView::mouseReleaseEvent(QMouseEvent* e)
{
    if (measuring_) {
        measuring_ = false;
        measure_->release(continuousIndexAt(e->position()));
    }
    if (painting_) {
        painting_ = false;
        edit_->endStroke();
    }
    dragButton_ = Qt::NoButton;
    e->accept();
}

void SliceView::mouseDoubleClickEvent(QMouseEvent* e)
{
    if (e->button() == Qt::LeftButton) {
        Q_EMIT maximiseRequested();
    }
    e->accept();
}

void SliceView::wheelEvent(QWheelEvent* e)
{
    const int steps = e->angleDelta().y() / 120 != 0 ? e->angleDelta().y() / 120 : (e->angleDelta().y() > 0 ? 1 : e->angleDelta().y() < 0 ? -1 : 0);
    if (steps == 0) {
        return;
    }
    if (e->modifiers() & Qt::ControlModifier) {
        // Zoom about the mouse position.
        const QPointF pos = e->position();
        const QPointF centre(width() / 2.0, height() / 2.0);
        const double old = zoom_;
        zoom_ = std::clamp(zoom_ * std::pow(1.15, steps), 0.1, 40.0);
        const double f = zoom_ / old;
        pan_ = (pan_ + centre - pos) * f - centre + pos;
        update();
    } else {
        scrollSlices(steps);
    }
    e->accept();
}

void SliceView::scrollSlices(int steps)
{
    auto idx = state_->cursor();
    idx[static_cast<std::size_t>(mapping_.sliceAxis())] += steps * mapping_.sliceStep();
    state_->setCursor(idx);
}

void SliceView::resetView()
{
    zoom_ = 1.0;
    pan_ = {0, 0};
    update();
}

void SliceView::keyPressEvent(QKeyEvent* e)
{
    switch (e->key()) {
    case Qt::Key_PageUp:
    case Qt::Key_Up: scrollSlices(e->modifiers() & Qt::ShiftModifier ? 10 : 1); break;
    case Qt::Key_PageDown:
    case Qt::Key_Down: scrollSlices(e->modifiers() & Qt::ShiftModifier ? -10 : -1); break;
    case Qt::Key_Home: {
        auto idx = state_->cursor();
        idx[static_cast<std::size_t>(mapping_.sliceAxis())] = mapping_.sliceCount() / 2;
        state_->setCursor(idx);
        break;
    }
    case Qt::Key_R: resetView(); break;
    case Qt::Key_M: Q_EMIT maximiseRequested(); break;
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoom_ = std::min(zoom_ * 1.25, 40.0);
        update();
        break;
    case Qt::Key_Minus:
        zoom_ = std::max(zoom_ / 1.25, 0.1);
        update();
        break;
    default: QWidget::keyPressEvent(e); return;
    }
    e->accept();
}

} // namespace strata::ui

#include "strata/ui/BeforeAfterView.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>

#include <algorithm>

namespace strata::ui {

BeforeAfterView::BeforeAfterView(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("beforeAfterView"));
    setMouseTracking(false);
    setFocusPolicy(Qt::StrongFocus);
    setCursor(Qt::SplitHCursor);
    setMinimumSize(160, 120);
    setToolTip(tr("Drag the divider: bicubic upscale on the left, super-resolution on the right"));
}

void BeforeAfterView::setImages(const QImage& before, const QImage& after, const QString& beforeLabel, const QString& afterLabel)
{
    after_ = after;
    // the same geometry on both sides: scale "before" to the size of "after" (they normally match already)
    before_ = before.size() == after.size() || before.isNull() ? before
                                                                : before.scaled(after.size(), Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    beforeLabel_ = beforeLabel;
    afterLabel_ = afterLabel;
    update();
}

bool BeforeAfterView::loadImages(const QString& beforePath, const QString& afterPath)
{
    const QImage b(beforePath), a(afterPath);
    if (b.isNull() || a.isNull()) {
        setImages({}, {});
        return false;
    }
    setImages(b, a);
    return true;
}

void BeforeAfterView::setDivider(double fraction)
{
    const double f = std::clamp(fraction, 0.0, 1.0);
    if (f != divider_) {
        divider_ = f;
        update();
        Q_EMIT dividerMoved(divider_);
    }
}

QRect BeforeAfterView::imageRect() const
{
    if (after_.isNull()) {
        return {};
    }
    const QSize fitted = after_.size().scaled(size(), Qt::KeepAspectRatio);
    return {(width() - fitted.width()) / 2, (height() - fitted.height()) / 2, fitted.width(), fitted.height()};
}

void BeforeAfterView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.fillRect(rect(), palette().window());
    const QRect r = imageRect();
    if (r.isEmpty()) {
        p.drawText(rect(), Qt::AlignCenter, tr("No before/after images in this result."));
        return;
    }
    p.setRenderHint(QPainter::SmoothPixmapTransform, true);
    const int split = r.left() + static_cast<int>(divider_ * r.width() + 0.5);
    p.save();
    p.setClipRect(QRect(split, r.top(), r.right() - split + 1, r.height()));
    p.drawImage(r, after_);
    p.restore();
    if (!before_.isNull()) {
        p.save();
        p.setClipRect(QRect(r.left(), r.top(), split - r.left(), r.height()));
        p.drawImage(r, before_);
        p.restore();
    }
    p.setPen(QPen(Qt::white, 2));
    p.drawLine(split, r.top(), split, r.bottom());
    p.setBrush(Qt::white);
    p.drawEllipse(QPoint(split, r.center().y()), 6, 6);
    const QFontMetrics fm(font());
    auto label = [&](const QString& text, bool left) {
        const int w = fm.horizontalAdvance(text) + 10;
        const QRect box(left ? r.left() + 6 : r.right() - 6 - w, r.top() + 6, w, fm.height() + 4);
        p.fillRect(box, QColor(0, 0, 0, 150));
        p.setPen(Qt::white);
        p.drawText(box, Qt::AlignCenter, text);
    };
    label(beforeLabel_, true);
    label(afterLabel_, false);
}

void BeforeAfterView::moveDividerTo(int x)
{
    const QRect r = imageRect();
    if (r.width() > 0) {
        setDivider(static_cast<double>(x - r.left()) / r.width());
    }
}

void BeforeAfterView::mousePressEvent(QMouseEvent* event)
{
    if (event->button() == Qt::LeftButton) {
        moveDividerTo(static_cast<int>(event->position().x()));
    }
}

void BeforeAfterView::mouseMoveEvent(QMouseEvent* event)
{
    if (event->buttons() & Qt::LeftButton) {
        moveDividerTo(static_cast<int>(event->position().x()));
    }
}

void BeforeAfterView::keyPressEvent(QKeyEvent* event)
{
    if (event->key() == Qt::Key_Left || event->key() == Qt::Key_Right) {
        setDivider(divider_ + (event->key() == Qt::Key_Left ? -0.05 : 0.05));
    } else {
        QWidget::keyPressEvent(event);
    }
}

} // namespace strata::ui

#pragma once

#include <QImage>
#include <QWidget>

namespace strata::ui {

/// Compares two images of one scene (super-resolution: bicubic-upscaled input vs network output) with a
/// draggable vertical divider: "before" left of it, "after" right of it, both fitted to the widget with the same
/// geometry. Drag with the mouse (or click), or move with the Left/Right keys.
class BeforeAfterView : public QWidget {
    Q_OBJECT
public:
    explicit BeforeAfterView(QWidget* parent = nullptr);

    /// Images of different sizes are compared at the size of `after`.
    void setImages(const QImage& before, const QImage& after, const QString& beforeLabel = tr("Bicubic"),
                   const QString& afterLabel = tr("Super-resolution"));
    /// Loads two image files; false (and an empty view) when either cannot be read.
    bool loadImages(const QString& beforePath, const QString& afterPath);
    /// Divider position as a fraction of the image width (0 = all "after", 1 = all "before").
    double divider() const { return divider_; }
    void setDivider(double fraction);
    /// Where the image is drawn in widget coordinates.
    QRect imageRect() const;

    QSize sizeHint() const override { return {480, 360}; }

Q_SIGNALS:
    void dividerMoved(double fraction);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

private:
    void moveDividerTo(int x);

    QImage before_;
    QImage after_;
    QString beforeLabel_;
    QString afterLabel_;
    double divider_{0.5};
};

} // namespace strata::ui

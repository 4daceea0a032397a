#include "strata/ui/OcrResultView.h"

#include "strata/JsonLimits.h"
#include "strata/ui/BatchImageReader.h"

#include <strata/Error.h>

#include <QGraphicsPixmapItem>
#include <QGraphicsRectItem>
#include <QGraphicsScene>
#include <QGraphicsView>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QSplitter>
#include <QVBoxLayout>
#include <QtConcurrent>

#include <QWheelEvent>

#include <cmath>
#include <fstream>

namespace strata::ui {

namespace {

QColor confidenceColour(double c)
{
    return c >= 80 ? QColor(30, 170, 60) : c >= 50 ? QColor(235, 140, 20) : QColor(220, 40, 40);
}

QRectF boxRect(const ocr::PixelBox& b)
{
    return {static_cast<double>(b.x), static_cast<double>(b.y), static_cast<double>(b.width), static_cast<double>(b.height)};
}

} // namespace

OcrResultView::OcrResultView(QWidget* parent)
    : QWidget(parent), list_(new QListWidget), scene_(new QGraphicsScene(this)), view_(new QGraphicsView(scene_)),
      status_(new QLabel)
{
    setObjectName(QStringLiteral("ocrResultView"));
    list_->setObjectName(QStringLiteral("ocrPageList"));
    view_->setObjectName(QStringLiteral("ocrPageView"));
    view_->setRenderHint(QPainter::Antialiasing);
    view_->setRenderHint(QPainter::SmoothPixmapTransform);
    view_->setDragMode(QGraphicsView::ScrollHandDrag);
    view_->setMouseTracking(true);
    status_->setWordWrap(true);
    status_->setText(tr("Hover a box to see its word; the colour is the confidence (green ≥ 80 %, orange ≥ 50 %, red below)."));

    auto* split = new QSplitter(Qt::Vertical);
    split->addWidget(list_);
    split->addWidget(view_);
    split->setStretchFactor(1, 4);
    auto* root = new QVBoxLayout(this);
    root->setContentsMargins(0, 0, 0, 0);
    root->addWidget(split, 1);
    root->addWidget(status_);

    view_->viewport()->installEventFilter(this);
    view_->setToolTip(tr("Wheel: zoom; drag: pan; double-click: whole page"));
    connect(list_, &QListWidget::currentRowChanged, this, &OcrResultView::showPage);
    connect(&loader_, &QFutureWatcher<QImage>::finished, this, &OcrResultView::onImageLoaded);
}

void OcrResultView::setBundle(const std::filesystem::path& bundleDir)
{
    bundle_ = bundleDir;
    auto pages = ocr::readOcrPages(bundleDir);
    input_.clear();
    try {
        const auto prov = readJsonFile(bundleDir / "provenance.json");
        input_ = prov.at("inputs").at(0).at("path").get<std::string>();
    } catch (const std::exception&) {
        // no input recorded: the overlay pictures are shown instead
    }
    pages_ = std::move(pages);
    list_->blockSignals(true);
    list_->clear();
    for (const auto& p : pages_) {
        std::size_t words = 0;
        double conf = 0;
        for (const auto& l : p.lines) {
            for (const auto& w : l.words) {
                ++words;
                conf += w.confidence;
            }
        }
        const QString source = QString::fromStdString(p.source);
        auto* item = new QListWidgetItem(
            !p.error.empty() ? tr("%1 — failed: %2").arg(source, QString::fromStdString(p.error))
                             : tr("%1 — %2 words, mean confidence %3 %").arg(source).arg(words).arg(words ? conf / static_cast<double>(words) : 0.0, 0, 'f', 1));
        item->setToolTip(QString::fromStdString(p.text).left(2000));
        list_->addItem(item);
    }
    list_->blockSignals(false);
    current_ = -1;
    if (!pages_.empty()) {
        list_->setCurrentRow(0); // shows page 0
    }
}

void OcrResultView::showPage(int index)
{
    if (index < 0 || index >= pageCount() || index == current_) {
        return;
    }
    current_ = index;
    boxes_ = 0;
    scene_->clear();
    list_->blockSignals(true);
    list_->setCurrentRow(index);
    list_->blockSignals(false);
    const std::string source = pages_[static_cast<std::size_t>(index)].source;
    char stem[16];
    std::snprintf(stem, sizeof stem, "%04d.png", index + 1);
    const auto overlay = bundle_ / "overlays" / stem;
    const auto input = input_;
    loader_.setFuture(QtConcurrent::run([input, source, overlay] {
        QImage img = input.empty() ? QImage() : BatchImageReader::read(input, source);
        if (img.isNull()) {
            img.load(QString::fromStdString(overlay.string())); // the input is gone: the bundle's own picture
        }
        return img;
    }));
}

void OcrResultView::onImageLoaded()
{
    const QImage img = loader_.result();
    if (img.isNull()) {
        status_->setText(tr("The page image cannot be read (the input is gone and the result has no overlay)."));
        Q_EMIT pageShown(current_, false);
        return;
    }
    scene_->clear();
    auto* picture = scene_->addPixmap(QPixmap::fromImage(img));
    // The scene is in pixels of the page as read; a bundle's overlay picture is a reduced copy: scale it up.
    const auto& page = pages_[static_cast<std::size_t>(current_)];
    const double width = page.width, height = page.height;
    if (width > 0 && height > 0 && img.width() != static_cast<int>(width)) {
        picture->setTransformationMode(Qt::SmoothTransformation);
        picture->setScale(width / img.width());
        scene_->setSceneRect(0, 0, width, height);
    } else {
        scene_->setSceneRect(img.rect());
    }
    drawBoxes();
    view_->fitInView(scene_->sceneRect(), Qt::KeepAspectRatio);
    Q_EMIT pageShown(current_, true);
}

void OcrResultView::drawBoxes()
{
    const auto& page = pages_[static_cast<std::size_t>(current_)];
    for (const auto& l : page.lines) {
        for (const auto& w : l.words) {
            const double conf = w.confidence;
            QPen pen(confidenceColour(conf));
            pen.setCosmetic(true);
            pen.setWidthF(1.5);
            auto* item = scene_->addRect(boxRect(w.box), pen, QColor(0, 0, 0, 1)); // filled: hover anywhere inside
            item->setToolTip(tr("%1 — %2 %").arg(QString::fromStdString(w.text)).arg(conf, 0, 'f', 1));
            item->setAcceptHoverEvents(true);
            ++boxes_;
        }
    }
    status_->setText(tr("%1: %2 words. Hover a box to see its word; drag to pan.")
                         .arg(QString::fromStdString(page.source))
                         .arg(boxes_));
}

bool OcrResultView::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == view_->viewport()) {
        if (event->type() == QEvent::Wheel) {
            const auto* wheel = static_cast<QWheelEvent*>(event);
            const double f = std::pow(1.0015, wheel->angleDelta().y());
            view_->setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
            view_->scale(f, f);
            return true;
        }
        if (event->type() == QEvent::MouseButtonDblClick) {
            view_->fitInView(scene_->sceneRect(), Qt::KeepAspectRatio);
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

QString OcrResultView::wordAt(const QPointF& pagePos) const
{
    for (QGraphicsItem* item : scene_->items(pagePos)) {
        if (item->type() == QGraphicsRectItem::Type) {
            return item->toolTip().section(QStringLiteral(" — "), 0, 0);
        }
    }
    return {};
}

} // namespace strata::ui

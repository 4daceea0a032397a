#pragma once

#include "strata/ocr/OcrPage.h"

#include <QFutureWatcher>
#include <QImage>
#include <QWidget>

#include <filesystem>
#include <vector>

class QGraphicsScene;
class QGraphicsView;
class QLabel;
class QListWidget;

namespace strata::ui {

/// The pages of an OCR result: a page list (words, mean confidence) and the selected page with its word boxes
/// (green ≥ 80 % confidence, orange ≥ 50 %, red below); hovering a box shows the word and its confidence.
/// The page is read from the run's input (PDF, multi-page TIFF, image folder) off the GUI thread, or from the
/// bundle's overlay picture when the input is gone.
class OcrResultView : public QWidget {
    Q_OBJECT
public:
    explicit OcrResultView(QWidget* parent = nullptr);

    /// Reads ocr.json and provenance.json of the bundle. Throws IoError when ocr.json is unreadable.
    void setBundle(const std::filesystem::path& bundleDir);
    int pageCount() const { return static_cast<int>(pages_.size()); }
    void showPage(int index);
    int currentPage() const { return current_; }
    /// Word boxes drawn on the current page (after its image has loaded).
    int boxCount() const { return boxes_; }
    /// The word under a point of the page (pixels of the page as read); empty when there is none.
    QString wordAt(const QPointF& pagePos) const;
    QGraphicsView* view() const { return view_; }

Q_SIGNALS:
    /// The current page's image is shown with its boxes (or failed to load: `ok` false).
    void pageShown(int index, bool ok);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override; ///< wheel zoom, double-click fits the page

private:
    void onImageLoaded();
    void drawBoxes();

    QListWidget* list_;
    QGraphicsScene* scene_;
    QGraphicsView* view_;
    QLabel* status_;
    std::filesystem::path bundle_;
    std::filesystem::path input_;
    std::vector<ocr::OcrPage> pages_;
    int current_{-1};
    int boxes_{0};
    QFutureWatcher<QImage> loader_;
};

} // namespace strata::ui

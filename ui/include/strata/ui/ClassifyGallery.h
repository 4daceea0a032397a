#pragma once

#include <QFutureWatcher>
#include <QImage>
#include <QWidget>

#include <atomic>
#include <filesystem>
#include <memory>
#include <vector>

class QComboBox;
class QLabel;
class QSortFilterProxyModel;
class QStandardItemModel;
class QTableView;

namespace strata::ui {

/// The predictions of a classification result as a sortable gallery: thumbnail, image, top label, probability
/// and the runners-up; filter by label. Thumbnails are read from the run's input off the GUI thread (the first
/// kMaxThumbnails images); the table itself is complete at once.
class ClassifyGallery : public QWidget {
    Q_OBJECT
public:
    static constexpr int kMaxThumbnails = 2000;
    static constexpr int kThumbnailSide = 64;

    explicit ClassifyGallery(QWidget* parent = nullptr);
    ~ClassifyGallery() override;

    /// Reads predictions.json and provenance.json of the bundle. Throws IoError when predictions.json is unreadable.
    void setBundle(const std::filesystem::path& bundleDir);
    QTableView* table() const { return table_; }
    QComboBox* labelFilter() const { return filter_; }
    int rowCount() const;
    int thumbnailsLoaded() const { return thumbnails_; }

Q_SIGNALS:
    void thumbnailsFinished();

private:
    void onThumbnails();

    QComboBox* filter_;
    QLabel* summary_;
    QTableView* table_;
    QStandardItemModel* model_;
    QSortFilterProxyModel* proxy_;
    QFutureWatcher<std::vector<QImage>> loader_;
    std::shared_ptr<std::atomic_bool> stop_;
    int thumbnails_{0};
};

} // namespace strata::ui

#include "strata/ui/ClassifyGallery.h"

#include "strata/JsonLimits.h"
#include "strata/classify/Predictions.h"
#include "strata/ui/BatchImageReader.h"

#include <strata/Error.h>

#include <nlohmann/json.hpp>

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QRegularExpression>
#include <QSortFilterProxyModel>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent>

#include <fstream>
#include <map>

namespace strata::ui {

namespace {

enum Column { ImageCol, LabelCol, ProbabilityCol, RunnersUpCol, ColumnCount };

} // namespace

ClassifyGallery::ClassifyGallery(QWidget* parent)
    : QWidget(parent), filter_(new QComboBox), summary_(new QLabel), table_(new QTableView),
      model_(new QStandardItemModel(0, ColumnCount, this)), proxy_(new QSortFilterProxyModel(this)),
      stop_(std::make_shared<std::atomic_bool>(false))
{
    setObjectName(QStringLiteral("classifyGallery"));
    filter_->setObjectName(QStringLiteral("classifyLabelFilter"));
    table_->setObjectName(QStringLiteral("classifyTable"));
    model_->setHorizontalHeaderLabels({tr("Image"), tr("Label"), tr("Probability"), tr("Runners-up")});
    proxy_->setSourceModel(model_);
    proxy_->setFilterKeyColumn(LabelCol);
    proxy_->setSortRole(Qt::UserRole);
    table_->setModel(proxy_);
    table_->setSortingEnabled(true);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setIconSize(QSize(kThumbnailSide, kThumbnailSide));
    table_->verticalHeader()->setDefaultSectionSize(kThumbnailSide + 6);
    table_->verticalHeader()->hide();
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->setWordWrap(false);

    auto* row = new QHBoxLayout;
    row->addWidget(new QLabel(tr("Show")));
    row->addWidget(filter_, 1);
    auto* root = new QVBoxLayout(this);
    root->setContentsMargins(0, 0, 0, 0);
    root->addLayout(row);
    root->addWidget(summary_);
    root->addWidget(table_, 1);

    connect(filter_, &QComboBox::currentIndexChanged, this, [this](int i) {
        const QString label = i <= 0 ? QString() : filter_->itemData(i).toString();
        proxy_->setFilterRegularExpression(label.isEmpty() ? QString()
                                                           : QStringLiteral("^%1$").arg(QRegularExpression::escape(label)));
    });
    connect(&loader_, &QFutureWatcher<std::vector<QImage>>::finished, this, &ClassifyGallery::onThumbnails);
}

ClassifyGallery::~ClassifyGallery()
{
    stop_->store(true);
    loader_.waitForFinished();
}

int ClassifyGallery::rowCount() const { return proxy_->rowCount(); }

void ClassifyGallery::setBundle(const std::filesystem::path& bundleDir)
{
    const auto images = classify::readPredictions(bundleDir);
    std::filesystem::path input;
    try {
        input = readJsonFile(bundleDir / "provenance.json").at("inputs").at(0).at("path").get<std::string>();
    } catch (const std::exception&) {
        // thumbnails need the input; the table does not
    }
    stop_->store(true);
    loader_.waitForFinished();
    stop_ = std::make_shared<std::atomic_bool>(false);
    model_->removeRows(0, model_->rowCount());
    thumbnails_ = 0;

    std::map<std::string, int> counts;
    std::vector<std::string> sources;
    for (const auto& img : images) {
        sources.push_back(img.source);
        QList<QStandardItem*> items;
        auto* name = new QStandardItem(QString::fromStdString(img.source));
        name->setData(QString::fromStdString(img.source), Qt::UserRole);
        name->setToolTip(QString::fromStdString(img.source));
        items << name;
        if (!img.error.empty()) {
            const QString err = QString::fromStdString(img.error);
            auto* label = new QStandardItem(tr("failed"));
            label->setData(QStringLiteral("~failed"), Qt::UserRole);
            label->setToolTip(err);
            items << label << new QStandardItem << new QStandardItem(err);
            items[2]->setData(-1.0, Qt::UserRole);
            ++counts["failed"];
        } else {
            const std::string& best = img.top.front().label;
            const double p = img.top.front().probability;
            auto* label = new QStandardItem(QString::fromStdString(best));
            label->setData(QString::fromStdString(best), Qt::UserRole);
            auto* prob = new QStandardItem(QStringLiteral("%1 %").arg(100.0 * p, 0, 'f', 1));
            prob->setData(p, Qt::UserRole);
            prob->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            QStringList rest;
            for (std::size_t k = 1; k < img.top.size(); ++k) {
                rest << QStringLiteral("%1 %2 %").arg(QString::fromStdString(img.top[k].label))
                            .arg(100.0 * img.top[k].probability, 0, 'f', 1);
            }
            auto* runners = new QStandardItem(rest.join(QStringLiteral(", ")));
            runners->setData(rest.join(QStringLiteral(", ")), Qt::UserRole);
            items << label << prob << runners;
            ++counts[best];
        }
        model_->appendRow(items);
    }
    filter_->blockSignals(true);
    filter_->clear();
    filter_->addItem(tr("All labels (%1)").arg(model_->rowCount()));
    QStringList summary;
    for (const auto& [label, n] : counts) {
        filter_->addItem(QStringLiteral("%1 (%2)").arg(QString::fromStdString(label)).arg(n), QString::fromStdString(label));
        summary << QStringLiteral("%1: %2").arg(QString::fromStdString(label)).arg(n);
    }
    filter_->blockSignals(false);
    proxy_->setFilterRegularExpression(QString());
    summary_->setText(summary.join(QStringLiteral(" · ")));
    table_->resizeColumnToContents(ImageCol);

    if (input.empty() || sources.empty()) {
        Q_EMIT thumbnailsFinished();
        return;
    }
    if (sources.size() > static_cast<std::size_t>(kMaxThumbnails)) {
        sources.resize(kMaxThumbnails);
    }
    loader_.setFuture(QtConcurrent::run([input, sources, stop = stop_] {
        std::vector<QImage> out;
        out.reserve(sources.size());
        for (const auto& s : sources) {
            if (stop->load()) {
                break;
            }
            out.push_back(BatchImageReader::read(input, s, kThumbnailSide));
        }
        return out;
    }));
}

void ClassifyGallery::onThumbnails()
{
    const auto images = loader_.result();
    for (std::size_t i = 0; i < images.size() && static_cast<int>(i) < model_->rowCount(); ++i) {
        if (!images[i].isNull()) {
            QImage img = images[i];
            if (img.width() < kThumbnailSide && img.height() < kThumbnailSide) { // 28 x 28 items: crisp pixels, not a dot
                img = img.scaled(kThumbnailSide, kThumbnailSide, Qt::KeepAspectRatio, Qt::FastTransformation);
            }
            model_->item(static_cast<int>(i), ImageCol)->setIcon(QIcon(QPixmap::fromImage(img)));
            ++thumbnails_;
        }
    }
    table_->resizeColumnToContents(ImageCol);
    Q_EMIT thumbnailsFinished();
}

} // namespace strata::ui

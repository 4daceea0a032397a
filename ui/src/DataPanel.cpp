#include "strata/ui/DataPanel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace strata::ui {

DataPanel::DataPanel(QWidget* parent) : QWidget(parent), table_(new QTableWidget(0, 4, this)), close_(new QPushButton(tr("Close dataset"), this))
{
    table_->setHorizontalHeaderLabels({tr("Name"), tr("Size"), tr("Spacing"), tr("Type")});
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->verticalHeader()->hide();
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(table_);
    auto* buttons = new QHBoxLayout;
    buttons->addStretch();
    buttons->addWidget(close_);
    layout->addLayout(buttons);
    close_->setEnabled(false);
    connect(table_, &QTableWidget::currentCellChanged, this, [this](int row, int, int, int) {
        if (!updating_ && row >= 0) {
            Q_EMIT currentChanged(row);
        }
    });
    connect(close_, &QPushButton::clicked, this, [this] {
        if (currentRow() >= 0) {
            Q_EMIT closeRequested(currentRow());
        }
    });
}

int DataPanel::currentRow() const { return table_->currentRow(); }

void DataPanel::setDatasets(const std::vector<std::shared_ptr<Dataset>>& datasets, int current)
{
    updating_ = true;
    table_->setRowCount(static_cast<int>(datasets.size()));
    for (int r = 0; r < static_cast<int>(datasets.size()); ++r) {
        const auto& d = *datasets[static_cast<std::size_t>(r)];
        QString name = QString::fromStdString(d.name);
        if (d.labels) {
            name += tr(" (+labels)");
        }
        const QString cells[4] = {name, QString::fromStdString(d.sizeText()), QString::fromStdString(d.spacingText()),
                                  QString::fromStdString(d.typeText())};
        for (int c = 0; c < 4; ++c) {
            auto* item = new QTableWidgetItem(cells[c]);
            item->setToolTip(QString::fromStdString(d.path.string()));
            table_->setItem(r, c, item);
        }
    }
    if (current >= 0 && current < table_->rowCount()) {
        table_->setCurrentCell(current, 0);
    }
    close_->setEnabled(!datasets.empty());
    updating_ = false;
}

} // namespace strata::ui

#include "strata/ui/ResultTableView.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QHeaderView>
#include <QKeyEvent>

#include <set>

namespace strata::ui {

namespace {
/// Sorts by the number in Qt::UserRole when the cell is numeric.
class NumericItem : public QTableWidgetItem {
public:
    using QTableWidgetItem::QTableWidgetItem;
    bool operator<(const QTableWidgetItem& other) const override
    {
        const QVariant a = data(Qt::UserRole), b = other.data(Qt::UserRole);
        if (a.isValid() && b.isValid()) {
            return a.toDouble() < b.toDouble();
        }
        return QTableWidgetItem::operator<(other);
    }
};
} // namespace

ResultTableView::ResultTableView(QWidget* parent) : QTableWidget(parent)
{
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setAlternatingRowColors(true);
    verticalHeader()->hide();
    horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    setContextMenuPolicy(Qt::ActionsContextMenu);
    auto* copy = new QAction(tr("Copy"), this);
    copy->setShortcut(QKeySequence::Copy);
    copy->setShortcutContext(Qt::WidgetShortcut);
    connect(copy, &QAction::triggered, this, &ResultTableView::copySelection);
    addAction(copy);
    connect(this, &QTableWidget::cellClicked, this, [this](int row, int) {
        if (QTableWidgetItem* it = item(row, 0)) {
            Q_EMIT labelActivated(it->data(Qt::UserRole + 1).toInt(), it->data(Qt::UserRole + 2).toString());
        }
    });
}

void ResultTableView::setTable(const results::ResultTable& table)
{
    table_ = table;
    setSortingEnabled(false);
    clear();
    setColumnCount(static_cast<int>(table.columns.size()));
    setRowCount(static_cast<int>(table.rows.size()));
    QStringList headers;
    for (const auto& c : table.columns) {
        headers << QString::fromStdString(c);
    }
    setHorizontalHeaderLabels(headers);
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        for (std::size_t c = 0; c < table.rows[r].size(); ++c) {
            const auto& cell = table.rows[r][c];
            auto* it = new NumericItem(QString::fromStdString(cell.text));
            if (cell.numeric) {
                it->setData(Qt::UserRole, cell.value);
                it->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            }
            if (c == 0) {
                it->setData(Qt::UserRole + 1, r < table.rowLabels.size() ? table.rowLabels[r] : 0);
                it->setData(Qt::UserRole + 2, r < table.rowRegions.size() ? QString::fromStdString(table.rowRegions[r]) : QString());
            }
            setItem(static_cast<int>(r), static_cast<int>(c), it);
        }
    }
    setSortingEnabled(true);
}

QString ResultTableView::selectionText() const
{
    std::set<int> rows;
    for (const QModelIndex& i : selectionModel()->selectedRows()) {
        rows.insert(i.row());
    }
    if (rows.empty()) {
        for (int r = 0; r < rowCount(); ++r) {
            rows.insert(r);
        }
    }
    QStringList lines, header;
    for (int c = 0; c < columnCount(); ++c) {
        header << horizontalHeaderItem(c)->text();
    }
    lines << header.join(QLatin1Char('\t'));
    for (int r : rows) {
        QStringList cells;
        for (int c = 0; c < columnCount(); ++c) {
            cells << (item(r, c) ? item(r, c)->text() : QString());
        }
        lines << cells.join(QLatin1Char('\t'));
    }
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

void ResultTableView::copySelection() const { QApplication::clipboard()->setText(selectionText()); }

void ResultTableView::keyPressEvent(QKeyEvent* event)
{
    if (event->matches(QKeySequence::Copy)) {
        copySelection();
        event->accept();
        return;
    }
    QTableWidget::keyPressEvent(event);
}

} // namespace strata::ui

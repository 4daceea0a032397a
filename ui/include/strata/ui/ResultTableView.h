#pragma once

#include <strata/results/ResultTable.h>

#include <QTableWidget>

namespace strata::ui {

/// One results table: sortable by any column (numbers sort as numbers), Ctrl+C copies the selection (or the
/// whole table) as tab-separated text with the header. Clicking a row reports its label id.
class ResultTableView : public QTableWidget {
    Q_OBJECT
public:
    explicit ResultTableView(QWidget* parent = nullptr);

    void setTable(const results::ResultTable& table);
    const results::ResultTable& table() const { return table_; }
    /// Tab-separated text of the selected rows (all rows when none is selected), header first.
    QString selectionText() const;
    void copySelection() const;

Q_SIGNALS:
    /// A row was clicked: its label, and its region key when the row is a cartilage region or subregion ("cMF", "aMT"; else empty).
    void labelActivated(int labelId, const QString& region);

protected:
    void keyPressEvent(QKeyEvent* event) override;

private:
    results::ResultTable table_;
};

} // namespace strata::ui

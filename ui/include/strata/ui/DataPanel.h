#pragma once

#include "strata/ui/Dataset.h"

#include <QWidget>

#include <memory>
#include <vector>

class QTableWidget;
class QPushButton;

namespace strata::ui {

/// Lists the loaded datasets (name, size, spacing, type); selecting one shows it.
class DataPanel : public QWidget {
    Q_OBJECT
public:
    explicit DataPanel(QWidget* parent = nullptr);

    void setDatasets(const std::vector<std::shared_ptr<Dataset>>& datasets, int current);
    int currentRow() const;
    QTableWidget* table() const { return table_; }

Q_SIGNALS:
    void currentChanged(int row);
    void closeRequested(int row);

private:
    QTableWidget* table_;
    QPushButton* close_;
    bool updating_{false};
};

} // namespace strata::ui

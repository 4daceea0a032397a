#pragma once

#include "strata/ui/CohortCaseStatus.h"

#include <QAbstractTableModel>

#include <vector>

namespace strata::ui {

/// The cohort view's table: one row per case with subject, timepoint, image, state (with the running case's
/// percentage), quality control's verdict and the message (why a case failed; in full as the tooltip).
class CohortModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Subject, Timepoint, ImageColumn, StateColumn, Verdict, Message, ColumnCount };

    explicit CohortModel(QObject* parent = nullptr);

    void setCases(std::vector<CohortCaseStatus> cases);
    const std::vector<CohortCaseStatus>& cases() const { return cases_; }
    const CohortCaseStatus& at(int row) const { return cases_.at(static_cast<std::size_t>(row)); }
    /// Replaces a row's status (its cells are repainted).
    void setCase(int row, CohortCaseStatus status);
    /// How many cases are in `state`.
    int count(CohortCaseStatus::State state) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::vector<CohortCaseStatus> cases_;
};

} // namespace strata::ui

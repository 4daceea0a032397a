#pragma once

#include "strata/ui/Dataset.h"

#include <strata/quant/LabelAgreement.h>

#include <QDialog>
#include <QFutureWatcher>

#include <memory>
#include <stop_token>

class QComboBox;
class QLabel;
class QPushButton;

namespace strata::ui {

class ResultTableView;

/// Analysis > Compare label maps (issue 24, item 3): two label maps of one image, A and B, compared label by label
/// (Dice, volumes, their difference, surface distances; quant::compareLabelMaps off the GUI thread, cancelled when
/// the choice changes or the dialog closes) in a table that exports to CSV. Clicking a row shows that label.
class CompareLabelMapsDialog : public QDialog {
    Q_OBJECT
public:
    /// Compares at once: A the first map of the dataset, B the one shown (the second when the first is shown).
    explicit CompareLabelMapsDialog(std::shared_ptr<Dataset> dataset, QWidget* parent = nullptr);
    ~CompareLabelMapsDialog() override;

    const std::shared_ptr<Dataset>& dataset() const { return dataset_; }
    QComboBox* mapA() const { return a_; }
    QComboBox* mapB() const { return b_; }
    ResultTableView* table() const { return table_; }
    /// Chooses maps `a` and `b` (indices in the dataset's LabelMapSet) and compares them.
    void choose(int a, int b);
    /// Lists the maps the dataset got since the dialog opened (a run finished, a file loaded, an edited copy).
    void refreshMaps();
    /// A comparison is under way.
    bool computing() const;
    /// Writes the table as CSV; false (and the reason in the status line) on failure.
    bool exportCsv(const QString& path);
    QString statusText() const;

Q_SIGNALS:
    /// The table shows the chosen pair (or the status line says why it cannot).
    void compared();
    void labelActivated(int labelId);

private:
    struct Outcome;
    void compare();
    void onFinished();
    void exportDialog();

    std::shared_ptr<Dataset> dataset_;
    QComboBox* a_;
    QComboBox* b_;
    ResultTableView* table_;
    QLabel* status_;
    QPushButton* export_;
    QFutureWatcher<std::shared_ptr<Outcome>>* watcher_;
    std::stop_source stop_;
    quint64 generation_{0};
    bool running_{false}; ///< until onFinished (the future ends before its finished signal arrives)
    bool pending_{false}; ///< the choice changed while a comparison ran: compare again when it ends
};

} // namespace strata::ui

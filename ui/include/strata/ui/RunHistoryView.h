#pragma once

#include <QTableWidget>

namespace strata::ui {

class RunQueue;

/// The run history: one row per queued, running or finished run with pipeline, input, target, status,
/// duration and message, earlier sessions' runs included. Double-clicking a succeeded run asks to open its
/// result; the context menu opens it, copies its folder or clears the finished runs.
class RunHistoryView : public QTableWidget {
    Q_OBJECT
public:
    RunHistoryView(RunQueue* queue, QWidget* parent = nullptr);

    /// Row of a job id, -1 if none.
    int rowOf(int id) const;

Q_SIGNALS:
    void openResultRequested(const QString& bundleDir);

private:
    void updateRow(int id);

    RunQueue* queue_;
};

} // namespace strata::ui

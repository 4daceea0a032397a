#include "strata/ui/RunHistoryView.h"

#include "strata/ui/RunQueue.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QHeaderView>
#include <QMenu>

namespace strata::ui {

namespace {
enum Column { ColId, ColPipeline, ColInput, ColTarget, ColStatus, ColDuration, ColMessage, ColCount };

QString duration(double s)
{
    const int total = static_cast<int>(s + 0.5);
    return total >= 60 ? QStringLiteral("%1:%2").arg(total / 60).arg(total % 60, 2, 10, QLatin1Char('0'))
                       : QStringLiteral("%1 s").arg(s, 0, 'f', 1);
}
} // namespace

RunHistoryView::RunHistoryView(RunQueue* queue, QWidget* parent) : QTableWidget(0, ColCount, parent), queue_(queue)
{
    setHorizontalHeaderLabels({tr("#"), tr("Pipeline"), tr("Input"), tr("Runs on"), tr("Status"), tr("Duration"), tr("Message")});
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::SingleSelection);
    verticalHeader()->hide();
    horizontalHeader()->setStretchLastSection(true);
    horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    horizontalHeader()->setSectionResizeMode(ColMessage, QHeaderView::Stretch);
    setWordWrap(false);
    connect(queue_, &RunQueue::jobAdded, this, [this](int id) {
        insertRow(0);
        for (int c = 0; c < ColCount; ++c) {
            setItem(0, c, new QTableWidgetItem);
        }
        item(0, ColId)->setData(Qt::UserRole, id);
        updateRow(id);
    });
    connect(queue_, &RunQueue::jobChanged, this, &RunHistoryView::updateRow);
    connect(queue_, &RunQueue::jobsRemoved, this, [this] {
        for (int r = rowCount() - 1; r >= 0; --r) {
            if (!queue_->job(item(r, ColId)->data(Qt::UserRole).toInt())) {
                removeRow(r);
            }
        }
    });
    setContextMenuPolicy(Qt::CustomContextMenu);
    connect(this, &QWidget::customContextMenuRequested, this, [this](const QPoint& pos) {
        QMenu menu(this);
        const int row = rowAt(pos.y());
        const RunJob* j = row >= 0 ? queue_->job(item(row, ColId)->data(Qt::UserRole).toInt()) : nullptr;
        QAction* open = menu.addAction(tr("Open result"));
        open->setEnabled(j && j->state == RunJob::State::Succeeded);
        QAction* copy = menu.addAction(tr("Copy result folder"));
        copy->setEnabled(j && !j->bundleDir.isEmpty());
        menu.addSeparator();
        QAction* clear = menu.addAction(tr("Clear finished runs"));
        QAction* chosen = menu.exec(viewport()->mapToGlobal(pos));
        if (chosen == open && j) {
            Q_EMIT openResultRequested(j->bundleDir);
        } else if (chosen == copy && j) {
            QGuiApplication::clipboard()->setText(j->bundleDir);
        } else if (chosen == clear) {
            queue_->clearFinished();
        }
    });
    connect(this, &QTableWidget::cellDoubleClicked, this, [this](int row, int) {
        const RunJob* j = queue_->job(item(row, ColId)->data(Qt::UserRole).toInt());
        if (j && j->state == RunJob::State::Succeeded) {
            Q_EMIT openResultRequested(j->bundleDir);
        }
    });
}

int RunHistoryView::rowOf(int id) const
{
    for (int r = 0; r < rowCount(); ++r) {
        if (item(r, ColId)->data(Qt::UserRole).toInt() == id) {
            return r;
        }
    }
    return -1;
}

void RunHistoryView::updateRow(int id)
{
    const int row = rowOf(id);
    const RunJob* j = queue_->job(id);
    if (row < 0 || !j) {
        return;
    }
    item(row, ColId)->setText(QString::number(id));
    item(row, ColPipeline)->setText(j->pipelineTitle);
    item(row, ColInput)->setText(j->inputName);
    item(row, ColTarget)->setText(j->targetTitle + QStringLiteral(" (") + QString::fromStdString(j->request.device) + QStringLiteral(")"));
    QString status = RunJob::stateName(j->state);
    if (j->state == RunJob::State::Running) {
        status += QStringLiteral(" %1%").arg(static_cast<int>(j->progress * 100));
    }
    item(row, ColStatus)->setText(status);
    const QColor colour = j->state == RunJob::State::Failed      ? QColor(200, 40, 40)
                          : j->state == RunJob::State::Succeeded ? QColor(30, 130, 60)
                          : j->state == RunJob::State::Cancelled ? QColor(150, 110, 20)
                                                                 : palette().color(QPalette::Text);
    item(row, ColStatus)->setForeground(colour);
    item(row, ColDuration)->setText(j->startedAt.isValid() ? duration(j->durationSeconds()) : QString());
    const QString message = j->state == RunJob::State::Succeeded ? j->bundleDir : j->message;
    item(row, ColMessage)->setText(message);
    item(row, ColMessage)->setToolTip(message);
}

} // namespace strata::ui

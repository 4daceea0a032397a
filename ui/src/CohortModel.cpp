#include "strata/ui/CohortModel.h"

#include <QBrush>
#include <QColor>
#include <QFileInfo>

namespace strata::ui {

namespace {

QColor stateColour(CohortCaseStatus::State s)
{
    switch (s) {
    case CohortCaseStatus::State::Running: return QColor(0x1f, 0x5f, 0xbf);
    case CohortCaseStatus::State::Done: return QColor(0x1b, 0x7a, 0x2e);
    case CohortCaseStatus::State::Skipped: return QColor(0x55, 0x6b, 0x55);
    case CohortCaseStatus::State::Failed: return QColor(0xc0, 0x1c, 0x1c);
    case CohortCaseStatus::State::Cancelled: return QColor(0xb0, 0x60, 0x00);
    case CohortCaseStatus::State::Pending: break;
    }
    return {};
}

QColor verdictColour(const QString& v)
{
    if (v == QLatin1String("ok")) {
        return QColor(0x1b, 0x7a, 0x2e);
    }
    if (v == QLatin1String("not_a_knee")) {
        return QColor(0xc0, 0x1c, 0x1c);
    }
    return v.isEmpty() ? QColor() : QColor(0xb0, 0x60, 0x00);
}

/// A long path shown by its last two parts ("k01/image.nii.gz").
QString shortPath(const QString& path)
{
    const QFileInfo fi(path);
    const QString parent = QFileInfo(fi.path()).fileName();
    return parent.isEmpty() ? fi.fileName() : parent + QLatin1Char('/') + fi.fileName();
}

} // namespace

CohortModel::CohortModel(QObject* parent) : QAbstractTableModel(parent) {}

void CohortModel::setCases(std::vector<CohortCaseStatus> cases)
{
    beginResetModel();
    cases_ = std::move(cases);
    endResetModel();
}

void CohortModel::setCase(int row, CohortCaseStatus status)
{
    if (row < 0 || row >= rowCount()) {
        return;
    }
    cases_[static_cast<std::size_t>(row)] = std::move(status);
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

int CohortModel::count(CohortCaseStatus::State state) const
{
    return static_cast<int>(std::count_if(cases_.begin(), cases_.end(), [state](const CohortCaseStatus& c) { return c.state == state; }));
}

int CohortModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(cases_.size());
}

int CohortModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant CohortModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount()) {
        return {};
    }
    const CohortCaseStatus& c = at(index.row());
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Subject: return c.subject;
        case Timepoint: return c.timepoint;
        case ImageColumn: return shortPath(c.image) + (c.labels.isEmpty() ? QString() : tr(" + labels"));
        case StateColumn: return c.stateText();
        case Verdict: return c.verdict;
        case Message: return c.message;
        default: return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (index.column()) {
        case ImageColumn: return c.labels.isEmpty() ? c.image : tr("%1\nlabels: %2").arg(c.image, c.labels);
        case StateColumn:
        case Message:
            if (c.message.isEmpty()) {
                return c.hasBundle() ? tr("Double-click or Enter opens its result") : QVariant();
            }
            return c.hasBundle() ? tr("%1\n\nDouble-click or Enter opens its result").arg(c.message) : c.message;
        default: return c.hasBundle() ? tr("%1\n\nDouble-click or Enter opens its result").arg(c.bundleDir) : QVariant();
        }
    }
    if (role == Qt::ForegroundRole) {
        const QColor colour = index.column() == StateColumn ? stateColour(c.state)
                              : index.column() == Verdict   ? verdictColour(c.verdict)
                              : index.column() == Message && c.state == CohortCaseStatus::State::Failed
                                  ? stateColour(c.state)
                                  : QColor();
        return colour.isValid() ? QVariant(QBrush(colour)) : QVariant();
    }
    return {};
}

QVariant CohortModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return QAbstractTableModel::headerData(section, orientation, role);
    }
    switch (section) {
    case Subject: return tr("Subject");
    case Timepoint: return tr("Timepoint");
    case ImageColumn: return tr("Image");
    case StateColumn: return tr("State");
    case Verdict: return tr("QC");
    case Message: return tr("Message");
    default: return {};
    }
}

} // namespace strata::ui

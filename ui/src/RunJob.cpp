#include "strata/ui/RunJob.h"

#include <QObject>

namespace strata::ui {

double RunJob::durationSeconds() const
{
    if (!startedAt.isValid()) {
        return 0.0;
    }
    const QDateTime end = finishedAt.isValid() ? finishedAt : QDateTime::currentDateTime();
    return static_cast<double>(startedAt.msecsTo(end)) / 1000.0;
}

QString RunJob::stateName(State state)
{
    switch (state) {
    case State::Queued: return QObject::tr("queued");
    case State::Running: return QObject::tr("running");
    case State::Succeeded: return QObject::tr("succeeded");
    case State::Failed: return QObject::tr("failed");
    case State::Cancelled: return QObject::tr("cancelled");
    }
    return {};
}

} // namespace strata::ui

#include "strata/ui/CohortCaseStatus.h"

#include "strata/ui/FsPath.h"

#include <strata/results/ResultBundle.h>

#include <QObject>

#include <cmath>

namespace strata::ui {

bool CohortCaseStatus::hasBundle() const
{
    return !bundleDir.isEmpty() && results::ResultBundle::isBundle(fsPath(bundleDir));
}

QString CohortCaseStatus::stateText() const
{
    if (state == State::Running) {
        return QObject::tr("running %1 %").arg(static_cast<int>(std::floor(progress * 100.0)));
    }
    return stateName(state);
}

QString CohortCaseStatus::stateName(State state)
{
    switch (state) {
    case State::Pending: return QObject::tr("pending");
    case State::Running: return QObject::tr("running");
    case State::Done: return QObject::tr("done");
    case State::Skipped: return QObject::tr("skipped (finished earlier)");
    case State::Failed: return QObject::tr("failed");
    case State::Cancelled: return QObject::tr("cancelled");
    }
    return {};
}

} // namespace strata::ui

#include "strata/ui/RunTargets.h"

#include <strata/StandardPipelines.h>
#include <strata/pipeline/LocalExecutor.h>

#include <algorithm>

namespace strata::ui {

RunTargets::RunTargets(QObject* parent) : QObject(parent) { targets_.push_back(localTarget()); }

RunTarget RunTargets::localTarget()
{
    RunTarget t;
    t.id = QStringLiteral("local");
    t.title = tr("This workstation");
    t.description = tr("Runs in this process on the CPU cores or a local CUDA GPU.");
    t.devices = {QStringLiteral("auto"), QStringLiteral("cpu"), QStringLiteral("cuda")};
    t.makeExecutor = [] { return std::make_shared<pipeline::LocalExecutor>(standardPipelines()); };
    return t;
}

void RunTargets::add(RunTarget target)
{
    auto it = std::find_if(targets_.begin(), targets_.end(), [&](const RunTarget& t) { return t.id == target.id; });
    if (it != targets_.end()) {
        *it = std::move(target);
    } else {
        targets_.push_back(std::move(target));
    }
    Q_EMIT targetsChanged();
}

void RunTargets::remove(const QString& id)
{
    std::erase_if(targets_, [&](const RunTarget& t) { return t.id == id; });
    Q_EMIT targetsChanged();
}

const RunTarget* RunTargets::find(const QString& id) const
{
    auto it = std::find_if(targets_.begin(), targets_.end(), [&](const RunTarget& t) { return t.id == id; });
    return it == targets_.end() ? nullptr : &*it;
}

} // namespace strata::ui

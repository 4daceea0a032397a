#include "strata/ui/RemoteRunTargets.h"

#include "strata/remote/RemoteExecutor.h"
#include "strata/ui/RunTargets.h"

namespace strata::ui {

RunTarget remoteRunTarget(const ServerConnection& connection)
{
    RunTarget t;
    t.id = QStringLiteral("remote:") + connection.name;
    t.title = connection.name;
    t.description = QStringLiteral("strata-server at %1").arg(connection.url);
    t.devices = {QStringLiteral("auto"), QStringLiteral("cuda"), QStringLiteral("cpu")};
    const remote::Endpoint endpoint = connection.endpoint();
    t.makeExecutor = [endpoint] { return std::make_shared<remote::RemoteExecutor>(endpoint); };
    return t;
}

void addSavedServers(RunTargets& targets, const QList<ServerConnection>& connections)
{
    QStringList stale;
    for (const auto& t : targets.targets()) {
        if (t.id.startsWith(QStringLiteral("remote:"))) stale << t.id;
    }
    for (const auto& id : stale) targets.remove(id);
    for (const auto& c : connections) targets.add(remoteRunTarget(c));
}

} // namespace strata::ui

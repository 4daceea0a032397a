#pragma once

#include "strata/ui/ConnectionStore.h"
#include "strata/ui/RunTarget.h"

namespace strata::ui {

class RunTargets;

/// The run target of a saved server: id "remote:<name>", a RemoteExecutor on its endpoint (same Executor
/// interface, same progress sink and cancel as "This workstation").
RunTarget remoteRunTarget(const ServerConnection& connection);

/// Makes the "remote:*" targets of `targets` exactly the saved servers (call at start-up and after the
/// Connections dialog saved): MainWindow: addSavedServers(*runTargets(), ConnectionStore().load()).
void addSavedServers(RunTargets& targets, const QList<ServerConnection>& connections);

} // namespace strata::ui

#pragma once

#include <strata/pipeline/Executor.h>

#include <QString>
#include <QStringList>

#include <functional>
#include <memory>

namespace strata::ui {

/// Somewhere a pipeline can run: this workstation (LocalExecutor) or, later, a remote server. The run panel
/// only sees this description and the Executor it makes.
struct RunTarget {
    QString id;           ///< "local", "remote:<name>", ...
    QString title;        ///< "This workstation"
    QString description;  ///< tooltip
    QStringList devices;  ///< device choices passed as RunRequest::device ("auto", "cpu", "cuda")
    std::function<std::shared_ptr<pipeline::Executor>()> makeExecutor;
};

} // namespace strata::ui

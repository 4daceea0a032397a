#pragma once

#include "strata/ui/RunTarget.h"

#include <QObject>

#include <vector>

namespace strata::ui {

/// The list of run targets the pipeline panel offers. Starts with "This workstation"; a remote client adds
/// its servers with add() and the panel follows (targetsChanged).
class RunTargets : public QObject {
    Q_OBJECT
public:
    explicit RunTargets(QObject* parent = nullptr);

    const std::vector<RunTarget>& targets() const { return targets_; }
    /// Adds or replaces (same id) a target.
    void add(RunTarget target);
    void remove(const QString& id);
    /// nullptr when unknown.
    const RunTarget* find(const QString& id) const;

    /// The in-process target on the standard pipelines.
    static RunTarget localTarget();

Q_SIGNALS:
    void targetsChanged();

private:
    std::vector<RunTarget> targets_;
};

} // namespace strata::ui

#pragma once

#include <strata/pipeline/RunTypes.h>

#include <QDateTime>
#include <QString>

namespace strata::ui {

/// One queued, running or finished pipeline run as the GUI tracks it.
struct RunJob {
    enum class State { Queued, Running, Succeeded, Failed, Cancelled };

    int id{0};
    pipeline::RunRequest request;
    QString pipelineTitle;
    QString inputName;
    QString targetId;
    QString targetTitle;
    State state{State::Queued};
    QString message;          ///< why it failed, or a short summary
    QString stage;            ///< current stage title while running
    double progress{0.0};     ///< 0..1
    double elapsedSeconds{0.0};
    QDateTime queuedAt, startedAt, finishedAt;
    QString bundleDir;

    bool finished() const { return state == State::Succeeded || state == State::Failed || state == State::Cancelled; }
    /// Seconds from start to end (or now while running); 0 before it starts.
    double durationSeconds() const;
    static QString stateName(State state);
};

} // namespace strata::ui

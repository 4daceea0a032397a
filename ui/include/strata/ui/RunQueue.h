#pragma once

#include "strata/ui/RunJob.h"

#include <strata/pipeline/Executor.h>

#include <QObject>

#include <deque>
#include <memory>
#include <vector>

namespace strata::ui {

class BackgroundRunner;
class RunHistoryStore;
class RunProgressSink;

/// Runs pipeline jobs one after another on a worker thread (a BackgroundRunner, as the Session's loads) through their
/// Executor, and keeps the history.
/// Progress arrives on the GUI thread (jobChanged); cancel requests the run's stop token (the pipeline stops
/// within about a second).
class RunQueue : public QObject {
    Q_OBJECT
public:
    explicit RunQueue(QObject* parent = nullptr);
    ~RunQueue() override;

    /// Queues a run; returns its id.
    int enqueue(RunJob job, std::shared_ptr<pipeline::Executor> executor);
    /// Cancels a queued or running job.
    void cancel(int id);
    /// Cancels the running job and everything queued.
    void cancelAll();

    /// Every job, oldest first.
    const std::vector<RunJob>& jobs() const { return jobs_; }
    const RunJob* job(int id) const;
    /// The running job's id or -1.
    int runningId() const { return runningId_; }
    bool busy() const { return runningId_ >= 0 || !pending_.empty(); }

    /// Keeps the finished runs in `file` from now on; called before the first run, it first adds the runs the file
    /// holds (earlier sessions) to the history. Returns a warning when the file was damaged (it is set aside).
    QString useHistoryFile(const QString& file);
    /// Forgets the finished runs (in the file too); queued and running ones stay.
    void clearFinished();

Q_SIGNALS:
    void jobAdded(int id);
    void jobChanged(int id);
    void jobFinished(int id);
    /// Jobs were removed from the history (clearFinished).
    void jobsRemoved();
    void idle();

private:
    struct Pending {
        int id;
        std::shared_ptr<pipeline::Executor> executor;
    };
    RunJob* find(int id);
    void startNext();
    void onFinished(const pipeline::RunResult& result);
    void onProgress(int id, const pipeline::ProgressEvent& event);
    void persist() const;

    std::vector<RunJob> jobs_;
    std::deque<Pending> pending_;
    int nextId_{1};
    int runningId_{-1};
    std::shared_ptr<pipeline::Executor> executor_;
    std::unique_ptr<RunProgressSink> sink_;
    std::unique_ptr<RunHistoryStore> store_;
    std::unique_ptr<BackgroundRunner> runner_; // last: destroyed (the running job stopped and joined) first
};

} // namespace strata::ui

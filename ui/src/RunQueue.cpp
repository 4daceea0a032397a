#include "strata/ui/RunQueue.h"

#include "strata/ui/QtPost.h"
#include "strata/ui/RunHistoryStore.h"
#include "strata/ui/RunProgressSink.h"

#include <algorithm>

namespace strata::ui {

RunQueue::RunQueue(QObject* parent) : QObject(parent), runner_(std::make_unique<BackgroundRunner>(postTo(this))) {}

RunQueue::~RunQueue()
{
    persist();
    pending_.clear();
    runner_.reset(); // stops the running job and waits for it
}

RunJob* RunQueue::find(int id)
{
    auto it = std::find_if(jobs_.begin(), jobs_.end(), [id](const RunJob& j) { return j.id == id; });
    return it == jobs_.end() ? nullptr : &*it;
}

const RunJob* RunQueue::job(int id) const { return const_cast<RunQueue*>(this)->find(id); }

int RunQueue::enqueue(RunJob job, std::shared_ptr<pipeline::Executor> executor)
{
    job.id = nextId_++;
    job.state = RunJob::State::Queued;
    job.queuedAt = QDateTime::currentDateTime();
    jobs_.push_back(std::move(job));
    const int id = jobs_.back().id;
    pending_.push_back({id, std::move(executor)});
    Q_EMIT jobAdded(id);
    startNext();
    return id;
}

void RunQueue::cancel(int id)
{
    if (id == runningId_) {
        runner_->requestStop();
        if (RunJob* j = find(id)) {
            j->stage = tr("Cancelling...");
            Q_EMIT jobChanged(id);
        }
        return;
    }
    auto it = std::find_if(pending_.begin(), pending_.end(), [id](const Pending& p) { return p.id == id; });
    if (it == pending_.end()) {
        return;
    }
    pending_.erase(it);
    if (RunJob* j = find(id)) {
        j->state = RunJob::State::Cancelled;
        j->message = tr("Cancelled before it started.");
        j->finishedAt = QDateTime::currentDateTime();
        Q_EMIT jobChanged(id);
        Q_EMIT jobFinished(id);
        persist();
    }
    if (!busy()) {
        Q_EMIT idle();
    }
}

void RunQueue::cancelAll()
{
    while (!pending_.empty()) {
        cancel(pending_.back().id);
    }
    if (runningId_ >= 0) {
        cancel(runningId_);
    }
}

void RunQueue::startNext()
{
    if (runningId_ >= 0 || pending_.empty()) {
        return;
    }
    Pending next = std::move(pending_.front());
    pending_.pop_front();
    RunJob* j = find(next.id);
    if (!j) {
        return;
    }
    runningId_ = next.id;
    executor_ = std::move(next.executor);
    j->state = RunJob::State::Running;
    j->startedAt = QDateTime::currentDateTime();
    j->stage = tr("Starting...");
    const int id = next.id;
    sink_ = std::make_unique<RunProgressSink>(this, [this, id](const pipeline::ProgressEvent& e) { onProgress(id, e); });
    auto result = std::make_shared<pipeline::RunResult>();
    runner_->start(
        [executor = executor_, request = j->request, sink = sink_.get(), result](const BackgroundRunner::Task& task) {
            try {
                *result = executor->run(request, *sink, task.stop);
            } catch (const std::exception& e) {
                *result = {pipeline::RunStatus::Failed, e.what(), {}, {}};
            } catch (...) {
                *result = {pipeline::RunStatus::Failed, "Unknown error.", {}, {}};
            }
        },
        [this, result] { onFinished(*result); });
    Q_EMIT jobChanged(id);
}

void RunQueue::onProgress(int id, const pipeline::ProgressEvent& e)
{
    RunJob* j = find(id);
    if (!j || id != runningId_ || runner_->stopRequested()) {
        return;
    }
    j->progress = e.overall;
    j->stage = QString::fromStdString(e.stageTitle);
    if (!e.message.empty()) {
        j->stage += QStringLiteral(": ") + QString::fromStdString(e.message);
    }
    j->elapsedSeconds = e.elapsedSeconds;
    Q_EMIT jobChanged(id);
}

void RunQueue::onFinished(const pipeline::RunResult& result)
{
    const int id = runningId_;
    runningId_ = -1;
    executor_.reset();
    if (RunJob* j = find(id)) {
        j->finishedAt = QDateTime::currentDateTime();
        j->message = QString::fromStdString(result.message);
        switch (result.status) {
        case pipeline::RunStatus::Succeeded:
            j->state = RunJob::State::Succeeded;
            j->progress = 1.0;
            j->bundleDir = QString::fromStdString(result.bundleDir.string());
            break;
        case pipeline::RunStatus::Cancelled: j->state = RunJob::State::Cancelled; break;
        case pipeline::RunStatus::Failed: j->state = RunJob::State::Failed; break;
        }
        j->stage.clear();
        persist(); // before the signal: a handler may end the process (strata --run ... --quit)
        Q_EMIT jobChanged(id);
        Q_EMIT jobFinished(id);
    }
    sink_.reset(); // queued progress calls hold their own copy of the callback, which checks runningId_
    startNext();
    if (!busy()) {
        Q_EMIT idle();
    }
}

QString RunQueue::useHistoryFile(const QString& file)
{
    store_ = std::make_unique<RunHistoryStore>(file);
    if (!jobs_.empty()) {
        return {}; // runs of this session exist already: only save from now on
    }
    QString warning;
    jobs_ = store_->load(&warning);
    int id = 1; // earlier runs keep their order, renumbered 1..n; this session's runs follow
    for (auto& j : jobs_) {
        j.id = id++;
    }
    nextId_ = id;
    for (const auto& j : jobs_) {
        Q_EMIT jobAdded(j.id);
    }
    return warning;
}

void RunQueue::clearFinished()
{
    std::erase_if(jobs_, [](const RunJob& j) { return j.finished(); });
    persist();
    Q_EMIT jobsRemoved();
}

void RunQueue::persist() const
{
    if (store_) {
        store_->save(jobs_);
    }
}

} // namespace strata::ui

#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <stop_token>
#include <thread>

namespace strata::ui {

/// Runs one task at a time on a worker thread with a stop token, and hands what it reports back to the thread that
/// owns the runner (no Qt: the owner says how to get there). Shared by the session's loads (Session) and the
/// pipeline runs (RunQueue); each keeps its own queue and starts the next task when one has finished.
class BackgroundRunner {
public:
    /// Runs a call later on the owner's thread: a queued call to a QObject in the GUI (postTo in QtPost.h), a queue
    /// drained by the test in unit tests. Called from the worker thread.
    using Post = std::function<void(std::function<void()>)>;

    /// What a task gets on the worker thread.
    struct Task {
        std::stop_token stop;
        /// Runs `f` on the owner's thread while this task is still the runner's current one (progress); dropped
        /// after it has finished or the runner is gone.
        std::function<void(std::function<void()>)> post;
    };

    explicit BackgroundRunner(Post post);
    /// Requests the running task to stop and waits for it; nothing it posted runs afterwards.
    ~BackgroundRunner();
    BackgroundRunner(const BackgroundRunner&) = delete;
    BackgroundRunner& operator=(const BackgroundRunner&) = delete;

    /// Starts `work` on the worker thread; `finished` runs on the owner's thread when it has returned (also when it
    /// threw: work should catch its own errors, anything else is swallowed). False, and nothing started, while
    /// another task runs.
    bool start(std::function<void(const Task&)> work, std::function<void()> finished);
    /// A task has started and its `finished` has not run yet.
    bool running() const { return running_; }
    /// Asks the running task to stop (its token); it still finishes through `finished`.
    void requestStop();
    bool stopRequested() const { return running_ && stop_.stop_requested(); }
    /// Blocks until the running task's work has returned; its `finished` still comes through Post.
    void wait();

private:
    struct Alive {};
    Post post_;
    std::shared_ptr<Alive> alive_;
    std::thread thread_;
    std::stop_source stop_;
    std::uint64_t generation_{0};
    bool running_{false};
};

} // namespace strata::ui

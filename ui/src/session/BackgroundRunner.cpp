#include "strata/ui/session/BackgroundRunner.h"

#include <utility>

namespace strata::ui {

BackgroundRunner::BackgroundRunner(Post post) : post_(std::move(post)), alive_(std::make_shared<Alive>()) {}

BackgroundRunner::~BackgroundRunner()
{
    stop_.request_stop();
    wait();
    alive_.reset(); // calls still on their way to the owner's thread find no runner and do nothing
}

bool BackgroundRunner::start(std::function<void(const Task&)> work, std::function<void()> finished)
{
    if (running_) {
        return false;
    }
    wait(); // the last task's thread has posted its end; let it go
    running_ = true;
    stop_ = std::stop_source();
    const std::uint64_t generation = ++generation_;
    // Both run on the owner's thread: only while the runner lives and the task is its current one.
    const std::weak_ptr<Alive> alive = alive_;
    auto current = [this, alive, generation] { return !alive.expired() && generation_ == generation && running_; };
    Task task{stop_.get_token(), [post = post_, current](std::function<void()> f) {
                  post([current, f = std::move(f)] {
                      if (current()) f();
                  });
              }};
    auto done = [this, current, finished = std::move(finished)] {
        if (!current()) return;
        running_ = false;
        if (finished) finished();
    };
    thread_ = std::thread([work = std::move(work), task = std::move(task), post = post_, done = std::move(done)] {
        try {
            work(task);
        } catch (...) {
        }
        post(done);
    });
    return true;
}

void BackgroundRunner::requestStop()
{
    if (running_) {
        stop_.request_stop();
    }
}

void BackgroundRunner::wait()
{
    if (thread_.joinable()) {
        thread_.join();
    }
}

} // namespace strata::ui

#include "strata/ocr/OcrBatch.h"

#include "strata/Error.h"
#include "strata/ocr/OcrEngine.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>

namespace strata::ocr {

namespace {

/// What the workers share with the thread that called run().
struct Shared {
    std::mutex mutex;
    std::condition_variable changed;
    std::deque<OcrPage> finished;
    std::exception_ptr fatal;
    std::size_t fatalPage{0}; ///< the page whose error `fatal` is (SIZE_MAX: no page's, e.g. an engine's)
    int workersLeft{0};
    std::atomic<std::size_t> next{0};
    std::stop_source stopWorkers;

    /// Keeps the error of the earliest page: when several pages fail at once (pages over the size limit, all
    /// read together by the workers), the run names the first one, whichever worker got there first.
    void fail(std::exception_ptr e, std::size_t page)
    {
        std::lock_guard lock(mutex);
        if (!fatal || page < fatalPage) {
            fatal = std::move(e);
            fatalPage = page;
        }
        stopWorkers.request_stop();
    }
};

void workerLoop(Shared& shared, const OcrOptions& options, const std::vector<ImageRef>& pages, bool stopOnError,
                const OcrBatch::PageImageFn& pageImageHook)
{
    std::size_t current = SIZE_MAX; // the page being worked on, for the error
    try {
        OcrEngine engine(options); // once per worker, reused for every page it takes
        const auto stop = shared.stopWorkers.get_token();
        while (!stop.stop_requested()) {
            const std::size_t i = shared.next.fetch_add(1);
            if (i >= pages.size()) {
                break;
            }
            current = i;
            const auto t0 = std::chrono::steady_clock::now();
            OcrPage page;
            try {
                const Image image = ImageSource::read(pages[i], options.maxPixels);
                page = engine.recognise(image, stop);
                page.index = static_cast<int>(i);
                page.source = pages[i].name();
                if (pageImageHook) {
                    pageImageHook(image, page);
                }
            } catch (const Cancelled&) {
                break;
            } catch (const Error& e) {
                if (stopOnError) {
                    throw;
                }
                page = OcrPage{};
                page.error = e.what();
            }
            page.index = static_cast<int>(i);
            page.source = pages[i].name();
            page.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            std::lock_guard lock(shared.mutex);
            shared.finished.push_back(std::move(page));
            shared.changed.notify_all();
            current = SIZE_MAX;
        }
    } catch (...) {
        shared.fail(std::current_exception(), current);
    }
    std::lock_guard lock(shared.mutex);
    --shared.workersLeft;
    shared.changed.notify_all();
}

/// Stops and joins the workers however run() is left (a throwing page callback included).
class WorkerGroup {
public:
    explicit WorkerGroup(Shared& shared) : shared_(shared) {}
    ~WorkerGroup()
    {
        shared_.stopWorkers.request_stop();
        for (auto& t : threads_) {
            t.join();
        }
    }
    WorkerGroup(const WorkerGroup&) = delete;
    WorkerGroup& operator=(const WorkerGroup&) = delete;
    void start(std::thread t) { threads_.push_back(std::move(t)); }

private:
    Shared& shared_;
    std::vector<std::thread> threads_;
};

} // namespace

OcrBatch::OcrBatch(OcrOptions options, int workers, bool stopOnError)
    : options_(std::move(options)),
      workers_(workers > 0 ? workers : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()))),
      stopOnError_(stopOnError)
{
}

std::vector<OcrPage> OcrBatch::run(const std::vector<ImageRef>& pages, const PageFn& onPage, std::stop_token stop)
{
    std::vector<OcrPage> results(pages.size());
    if (pages.empty()) {
        return results;
    }
    Shared shared;
    const int n = std::min<int>(workers_, static_cast<int>(pages.size()));
    shared.workersLeft = n;
    std::stop_callback forwardStop(stop, [&] { shared.stopWorkers.request_stop(); });
    {
        WorkerGroup group(shared);
        for (int w = 0; w < n; ++w) {
            group.start(std::thread(workerLoop, std::ref(shared), std::cref(options_), std::cref(pages), stopOnError_,
                                    std::cref(pageImageHook_)));
        }
        int done = 0;
        std::unique_lock lock(shared.mutex);
        while (true) {
            shared.changed.wait_for(lock, std::chrono::milliseconds(100),
                                    [&] { return !shared.finished.empty() || shared.workersLeft == 0; });
            while (!shared.finished.empty()) {
                OcrPage page = std::move(shared.finished.front());
                shared.finished.pop_front();
                lock.unlock();
                ++done;
                if (onPage) {
                    onPage(page, done, static_cast<int>(pages.size()));
                }
                results[static_cast<std::size_t>(page.index)] = std::move(page);
                lock.lock();
            }
            if (shared.workersLeft == 0 || stop.stop_requested()) {
                break;
            }
        }
    } // workers joined here
    throwIfStopped(stop);
    if (shared.fatal) {
        std::rethrow_exception(shared.fatal);
    }
    return results;
}

} // namespace strata::ocr

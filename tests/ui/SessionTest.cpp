// The Qt-free session behind MainWindow (issue 22): open datasets, label maps, surfaces and results loaded on the
// BackgroundRunner, driven with no display (the calls the runner posts are run by the test, as the GUI's event loop
// would run them).
#include "strata/ui/session/BackgroundRunner.h"
#include "strata/ui/session/ResultLoad.h"
#include "strata/ui/session/Session.h"

#include <strata/Error.h>
#include <strata/ImageIO.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <mutex>

using namespace strata;
using namespace strata::ui;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

/// The owner's thread: calls posted by the worker wait here until the test runs them.
class OwnerQueue {
public:
    BackgroundRunner::Post post()
    {
        return [this](std::function<void()> f) {
            {
                std::lock_guard lock(mutex_);
                calls_.push_back(std::move(f));
            }
            wake_.notify_all();
        };
    }
    /// Runs posted calls until `done()` holds; false after `timeout`.
    bool runUntil(const std::function<bool()>& done, std::chrono::milliseconds timeout = 30s)
    {
        const auto end = std::chrono::steady_clock::now() + timeout;
        while (!done()) {
            std::function<void()> f;
            {
                std::unique_lock lock(mutex_);
                if (!wake_.wait_until(lock, end, [this] { return !calls_.empty(); })) return false;
                f = std::move(calls_.front());
                calls_.pop_front();
            }
            f();
        }
        return true;
    }

private:
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::function<void()>> calls_;
};

/// Records what the session says, one line per event.
struct Recorder : SessionListener {
    std::vector<std::string> events;
    std::vector<AttachedResult> results;
    std::string lastFailure;
    int settled{0};
    static const char* kind(const SessionJob& j)
    {
        switch (j.kind) {
        case SessionJob::Kind::Image: return "image";
        case SessionJob::Kind::Labels: return "labels";
        case SessionJob::Kind::Surfaces: return "surfaces";
        case SessionJob::Kind::Result: return "result";
        }
        return "?";
    }
    void refused(SessionRefusal why, const fs::path&, const std::string&) override
    {
        events.push_back("refused " + std::to_string(static_cast<int>(why)));
    }
    void jobStarted(const SessionJob& j) override { events.push_back(std::string("started ") + kind(j)); }
    void jobProgress(double, const std::string&) override {}
    void jobEnded(const SessionJob&) override {}
    void jobCancelled(const SessionJob& j) override { events.push_back(std::string("cancelled ") + kind(j)); }
    void jobFailed(const SessionJob& j, const std::string& message) override
    {
        events.push_back(std::string("failed ") + kind(j));
        lastFailure = message;
    }
    void datasetOpened(int index, const fs::path& source) override
    {
        events.push_back("opened " + std::to_string(index) + " " + source.filename().string());
    }
    void labelMapLoaded(const std::shared_ptr<Dataset>&, const fs::path& file) override
    {
        events.push_back("labels " + file.filename().string());
    }
    void surfacesReady(const std::shared_ptr<Dataset>&, const std::shared_ptr<const SurfaceInput>& s, const std::set<int>&) override
    {
        events.push_back(s ? "surfaces" : "no surfaces");
    }
    void resultLoaded(const AttachedResult& r) override
    {
        events.push_back("result");
        results.push_back(r);
    }
    void jobsSettled() override { ++settled; }
};

class SessionTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        dir_ = fs::temp_directory_path() / ("strata-session-" + std::to_string(::getpid()) + "-" +
                                            ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
        session_ = std::make_unique<Session>(events_, owner_.post());
    }
    void TearDown() override
    {
        session_.reset();
        fs::remove_all(dir_);
    }
    /// A small scan: 12 x 10 x 6 int16 with a ramp.
    fs::path writeScan(const std::string& name, double spacing = 1.0)
    {
        Image image({12, 10, 6}, PixelType::Int16);
        image.setSpacing({spacing, spacing, 2.0});
        auto px = image.pixels<std::int16_t>();
        for (std::size_t i = 0; i < px.size(); ++i) px[i] = static_cast<std::int16_t>(i % 300);
        const fs::path path = dir_ / name;
        writeImage(image, path);
        return path;
    }
    /// Labels 1 and 2 on the scan's grid.
    LabelMap labelsFor(const fs::path& scan)
    {
        const Image image = readImage(scan);
        LabelMap labels = LabelMap::like(image, LabelTable({{1, "femur", {200, 0, 0, 255}}, {2, "tibia", {0, 200, 0, 255}}}));
        auto px = labels.image().pixels<std::uint8_t>();
        for (std::size_t i = 0; i < px.size(); ++i) px[i] = i % 7 == 0 ? 1 : (i % 11 == 0 ? 2 : 0);
        return labels;
    }
    /// A knee-like result bundle of `scan`: provenance, segmentation, thickness map (top 2.3 mm).
    fs::path writeBundle(const std::string& name, const fs::path& scan, bool givenLabels = false)
    {
        const fs::path bundle = dir_ / name;
        fs::create_directories(bundle);
        nlohmann::json inputs = nlohmann::json::array({{{"name", "image"}, {"path", scan.string()}, {"sha256", "00"}}});
        if (givenLabels) inputs.push_back({{"name", "labels"}, {"path", (dir_ / "truth.nii.gz").string()}});
        std::ofstream(bundle / "provenance.json")
            << nlohmann::json{{"pipeline", "knee-mri"}, {"started_at", "2024-05-01T12:30:00"}, {"finished_at", "2024-05-01T12:34:56"},
                              {"inputs", inputs}}
                   .dump();
        const LabelMap labels = labelsFor(scan);
        writeLabelMap(labels, bundle / "segmentation.nii.gz");
        Image thickness(labels.image().size(), PixelType::Float32);
        thickness.setSpacing(labels.image().spacing());
        thickness.pixels<float>()[5] = 2.3f;
        writeImage(thickness, bundle / "thickness.nii.gz");
        return bundle;
    }
    bool waitIdle() { return owner_.runUntil([this] { return !session_->busy(); }); }

    fs::path dir_;
    OwnerQueue owner_;
    Recorder events_;
    std::unique_ptr<Session> session_;
};

} // namespace

TEST(BackgroundRunner, FinishedRunsOnTheOwnersThreadAndStaleProgressIsDropped)
{
    OwnerQueue owner;
    BackgroundRunner runner(owner.post());
    std::vector<int> seen;
    bool finished = false;
    const auto caller = std::this_thread::get_id();
    std::thread::id finishedOn;
    ASSERT_TRUE(runner.start([&](const BackgroundRunner::Task& t) { t.post([&] { seen.push_back(1); }); },
                             [&] { finished = true, finishedOn = std::this_thread::get_id(); }));
    EXPECT_TRUE(runner.running());
    EXPECT_FALSE(runner.start([](const BackgroundRunner::Task&) {}, {})); // one at a time
    ASSERT_TRUE(owner.runUntil([&] { return finished; }));
    EXPECT_EQ(finishedOn, caller);
    EXPECT_EQ(seen, std::vector<int>{1});
    EXPECT_FALSE(runner.running());

    // A task's progress that arrives after it finished (or after the next one started) is not delivered.
    BackgroundRunner::Task kept;
    finished = false;
    ASSERT_TRUE(runner.start([&](const BackgroundRunner::Task& t) { kept = t; }, [&] { finished = true; }));
    ASSERT_TRUE(owner.runUntil([&] { return finished; }));
    kept.post([&] { seen.push_back(2); });
    owner.runUntil([] { return false; }, 100ms);
    EXPECT_EQ(seen, std::vector<int>{1});
}

TEST(BackgroundRunner, StopAndDestructionEndTheTask)
{
    OwnerQueue owner;
    std::atomic<bool> sawStop{false};
    {
        BackgroundRunner runner(owner.post());
        bool finished = false;
        runner.start([&](const BackgroundRunner::Task& t) {
            while (!t.stop.stop_requested()) std::this_thread::sleep_for(1ms);
            sawStop = true;
        }, [&] { finished = true; });
        runner.requestStop();
        EXPECT_TRUE(runner.stopRequested());
        ASSERT_TRUE(owner.runUntil([&] { return finished; }));
        EXPECT_TRUE(sawStop);
        sawStop = false;
        runner.start([&](const BackgroundRunner::Task& t) {
            while (!t.stop.stop_requested()) std::this_thread::sleep_for(1ms);
            sawStop = true;
        }, [] { FAIL() << "finished must not run after the runner is gone"; });
    } // the destructor stops the task and waits for it
    EXPECT_TRUE(sawStop);
    owner.runUntil([] { return false; }, 100ms); // its end, posted, does nothing
}

TEST(ResultLoad, ThicknessScaleTopAndClockTimes)
{
    Image t({4, 4, 1}, PixelType::Float32);
    EXPECT_DOUBLE_EQ(thicknessScaleTop(t), 0.5);
    t.pixels<float>()[3] = 2.3f;
    EXPECT_DOUBLE_EQ(thicknessScaleTop(t), 2.5);
    t.pixels<float>()[3] = 3.0f;
    EXPECT_DOUBLE_EQ(thicknessScaleTop(t), 3.0);
    EXPECT_DOUBLE_EQ(thicknessScaleTop(Image({4, 4, 1}, PixelType::UInt8)), 0.0);

    ::setenv("TZ", "UTC", 1);
    ::tzset();
    EXPECT_EQ(localClockTime("2024-05-01T12:34:56Z"), "12:34");
    EXPECT_EQ(localClockTime("2024-05-01T12:34:56.250+02:00"), "10:34");
    EXPECT_EQ(localClockTime("2024-05-01T23:50-0130"), "01:20");
    EXPECT_EQ(localClockTime("2024-05-01T12:34:56"), "12:34"); // no zone: local already
    EXPECT_EQ(localClockTime(""), "");
    EXPECT_EQ(localClockTime("yesterday"), "");
    EXPECT_EQ(localClockTime("2024-05-01T25:00:00Z"), "");

    results::Provenance p;
    p.pipeline = "knee-mri";
    p.finishedAt = "2024-05-01T12:34:56Z";
    EXPECT_EQ(resultMapName(p), "AI result knee-mri 12:34");
    p.inputs.push_back({"labels", "/data/truth.nii.gz", ""});
    EXPECT_EQ(resultMapName(p), "result knee-mri 12:34 (given labels)");
    EXPECT_EQ(resultMapName(results::Provenance{}), "AI result analysis");
}

TEST_F(SessionTest, OpensImagesInOrderAndRefusesMissingOnes)
{
    const fs::path a = writeScan("a.nii.gz"), b = writeScan("b.nii.gz");
    session_->openPaths({a, dir_ / "missing.nii.gz", b});
    EXPECT_EQ(events_.events.front(), "refused 0"); // at once, before anything loads
    EXPECT_EQ(session_->queued().size(), 1u);        // a runs, b waits
    ASSERT_TRUE(waitIdle());
    EXPECT_EQ(events_.events, (std::vector<std::string>{"refused 0", "started image", "opened 0 a.nii.gz", "started image",
                                                         "opened 1 b.nii.gz"}));
    ASSERT_EQ(session_->datasets().size(), 2u);
    EXPECT_EQ(session_->datasets()[1]->image->size(), (Size3{12, 10, 6}));
    EXPECT_EQ(session_->current(), -1); // the owner picks the current one
    EXPECT_TRUE(session_->setCurrent(1));
    EXPECT_EQ(session_->currentDataset(), session_->datasets()[1]);
    EXPECT_FALSE(session_->setCurrent(2));
    EXPECT_EQ(session_->indexOf(session_->datasets()[0].get()), 0);
    EXPECT_GE(events_.settled, 2);
}

TEST_F(SessionTest, LabelMapsAndSurfacesOfTheCurrentDataset)
{
    const fs::path scan = writeScan("knee.nii.gz");
    session_->openSegmentation(dir_ / "truth.nii.gz");
    EXPECT_EQ(events_.events, std::vector<std::string>{"refused 1"}); // no image yet
    writeLabelMap(labelsFor(scan), dir_ / "truth.nii.gz");
    session_->openPaths({scan});
    ASSERT_TRUE(waitIdle());
    session_->setCurrent(0);
    session_->openSegmentation(dir_ / "truth.nii.gz");
    ASSERT_TRUE(waitIdle());
    const auto ds = session_->datasets()[0];
    ASSERT_TRUE(ds->labels);
    EXPECT_EQ(ds->labelMaps.shown()->name, "loaded: truth.nii.gz");
    EXPECT_EQ(ds->labelsPath, dir_ / "truth.nii.gz");

    // Surfaces: asked for twice while queued or running, prepared once, then cached.
    session_->queueSurfaces(ds);
    session_->queueSurfaces(ds);
    EXPECT_TRUE(session_->queued().empty()); // the one job runs already
    ASSERT_TRUE(waitIdle());
    EXPECT_EQ(std::count(events_.events.begin(), events_.events.end(), "surfaces"), 1);
    ASSERT_TRUE(session_->cachedSurfaces(ds.get()));
    EXPECT_EQ(session_->cachedSurfaces(ds.get())->labels.size(), 2u);
    // After an edit, only the touched labels' surfaces: not cached over the whole set.
    session_->forgetSurfaces(ds.get());
    session_->queueSurfaces(ds, {2});
    ASSERT_TRUE(waitIdle());
    EXPECT_FALSE(session_->cachedSurfaces(ds.get()));

    // The label map has a file, so the knee pipeline can take it for the images on its grid.
    const fs::path other = writeScan("other.nii.gz", 0.5);
    session_->openPaths({other});
    ASSERT_TRUE(waitIdle());
    const auto overlays = session_->labelOverlays();
    ASSERT_EQ(overlays.size(), 1u);
    EXPECT_EQ(overlays[0].labelsPath, dir_ / "truth.nii.gz");
    EXPECT_EQ(overlays[0].sameGridInputs, std::vector<fs::path>{scan}); // not the 0.5 mm one
}

TEST_F(SessionTest, AResultJoinsTheOpenScanItWasComputedFrom)
{
    const fs::path scan = writeScan("knee.nii.gz");
    writeLabelMap(labelsFor(scan), dir_ / "truth.nii.gz");
    session_->openPaths({scan});
    ASSERT_TRUE(waitIdle());
    session_->setCurrent(0);
    session_->openSegmentation(dir_ / "truth.nii.gz");
    ASSERT_TRUE(waitIdle());
    session_->queueSurfaces(session_->datasets()[0]);
    ASSERT_TRUE(waitIdle());

    ::setenv("TZ", "UTC", 1);
    ::tzset();
    session_->openResult(writeBundle("run1", scan));
    ASSERT_TRUE(waitIdle());
    ASSERT_EQ(events_.results.size(), 1u) << events_.lastFailure;
    const AttachedResult& r = events_.results[0];
    ASSERT_EQ(session_->datasets().size(), 1u);
    EXPECT_EQ(r.dataset, session_->datasets()[0]);
    EXPECT_FALSE(r.newDataset);
    EXPECT_EQ(r.keptMap, "loaded: truth.nii.gz"); // the ground truth stays listed
    const auto& ds = *r.dataset;
    EXPECT_EQ(ds.labelMaps.size(), 2);
    EXPECT_EQ(ds.labelMaps.shown()->name, "AI result knee-mri 12:34");
    EXPECT_EQ(ds.result, r.bundle);
    EXPECT_TRUE(ds.report && ds.thickness);
    EXPECT_DOUBLE_EQ(ds.thicknessMax, 2.5);
    EXPECT_FALSE(session_->cachedSurfaces(&ds)); // built from the map shown before
}

TEST_F(SessionTest, AResultOpensItsScanWhenItIsNotOpen)
{
    const fs::path scan = writeScan("knee.nii.gz");
    session_->openPaths({writeBundle("run1", scan, true)}); // a result folder among paths: opened as a result
    ASSERT_TRUE(waitIdle());
    ASSERT_EQ(events_.results.size(), 1u) << events_.lastFailure;
    EXPECT_TRUE(events_.results[0].newDataset);
    ASSERT_EQ(session_->datasets().size(), 1u);
    EXPECT_EQ(session_->datasets()[0]->path, scan);
    EXPECT_TRUE(events_.results[0].keptMap.empty());
    EXPECT_NE(session_->datasets()[0]->labelMaps.shown()->name.find("(given labels)"), std::string::npos);

    // Its scan gone: an error that says what to do.
    const fs::path gone = writeScan("gone.nii.gz");
    const fs::path bundle = writeBundle("run2", gone);
    fs::remove(gone);
    session_->openResult(bundle);
    ASSERT_TRUE(waitIdle());
    EXPECT_EQ(events_.events.back(), "failed result");
    EXPECT_NE(events_.lastFailure.find("is not there any more"), std::string::npos) << events_.lastFailure;
}

TEST_F(SessionTest, RefusesFoldersThatAreNotResultsAndDamagedProvenance)
{
    session_->openResult(dir_);
    fs::create_directories(dir_ / "bad");
    std::ofstream(dir_ / "bad" / "provenance.json") << R"({"pipeline": "knee-mri", "inputs": {"path": 3}})";
    session_->openResult(dir_ / "bad");
    EXPECT_EQ(events_.events, (std::vector<std::string>{"refused 2", "refused 3"}));
    EXPECT_FALSE(session_->busy());
}

TEST_F(SessionTest, ClosingADatasetDropsItsJobsAndCancelClearsTheQueue)
{
    const fs::path a = writeScan("a.nii.gz"), b = writeScan("b.nii.gz");
    writeLabelMap(labelsFor(a), dir_ / "truth.nii.gz");
    session_->openPaths({a});
    ASSERT_TRUE(waitIdle());
    session_->setCurrent(0);
    session_->openPaths({b});                         // runs
    session_->openSegmentation(dir_ / "truth.nii.gz"); // queued for a
    ASSERT_EQ(session_->queued().size(), 1u);
    session_->close(0);
    EXPECT_TRUE(session_->queued().empty());
    EXPECT_EQ(session_->current(), -1);
    ASSERT_TRUE(waitIdle());
    ASSERT_EQ(session_->datasets().size(), 1u);
    EXPECT_EQ(session_->datasets()[0]->path.filename(), "b.nii.gz");

    // Cancel: b, queued, never loads; a, running, is stopped (or, this small, may just have finished).
    session_->openPaths({a, b});
    session_->cancel();
    EXPECT_TRUE(session_->queued().empty());
    ASSERT_TRUE(waitIdle());
    EXPECT_TRUE(events_.events.back() == "cancelled image" || events_.events.back() == "opened 1 a.nii.gz") << events_.events.back();
    EXPECT_LE(session_->datasets().size(), 2u);
    EXPECT_EQ(session_->datasets().back()->path.filename(), session_->datasets().size() == 2 ? "a.nii.gz" : "b.nii.gz");
}

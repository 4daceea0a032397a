// The pipeline engine with small test pipelines: parameters, progress, provenance, failure and cancel.
#include "TestSupport.h"
#include "strata/Error.h"
#include "strata/pipeline/LocalExecutor.h"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <mutex>
#include <thread>

using namespace strata;
using namespace strata::pipeline;
using nlohmann::json;

namespace {

constexpr WorkspaceKey<double> kSum{"sum"};

const char* kManifest = R"({
  "id": "test-sum", "title": "Test sum", "version": "3",
  "inputs": [{"name": "input", "type": "file", "help": "any file"},
             {"name": "extra", "type": "file", "help": "an optional file", "optional": true}],
  "outputs": [{"name": "sum", "type": "table"}],
  "parameters": [
    {"name": "iterations", "type": "int", "default": 10, "min": 1, "max": 1000000, "help": "loop count"},
    {"name": "scale", "type": "number", "default": 1.5, "help": "factor"},
    {"name": "mode", "type": "choice", "default": "fast", "choices": ["fast", "exact"], "help": "how"},
    {"name": "fail", "type": "bool", "default": false, "help": "fail in stage 2"},
    {"name": "sleep_ms", "type": "int", "default": 0, "min": 0, "help": "per iteration"}
  ],
  "stages": [{"id": "count", "title": "Counting", "weight": 3}, {"id": "write", "title": "Writing", "weight": 1}]
})";

class CountStage : public Stage {
public:
    void run(StageContext& ctx) override
    {
        const int n = ctx.parameter<int>("iterations");
        const int sleepMs = ctx.parameter<int>("sleep_ms");
        double sum = 0;
        for (int i = 0; i < n; ++i) {
            sum += ctx.parameter<double>("scale");
            if (sleepMs > 0) {
                std::this_thread::sleep_for(std::chrono::milliseconds(sleepMs));
            }
            ctx.progress(static_cast<double>(i + 1) / n, "counting");
        }
        ctx.workspace().put(kSum, sum);
        ctx.note("device", "cpu");
    }
};

class WriteStage : public Stage {
public:
    void run(StageContext& ctx) override
    {
        std::ofstream(ctx.outputDir() / "sum.json") << json{{"sum", ctx.workspace().get(kSum)}}.dump();
        if (ctx.parameter<bool>("fail")) {
            throw Error("Stage 'write' failed on purpose.");
        }
    }
};

class TestPipeline : public Pipeline {
public:
    TestPipeline() : manifest_(PipelineManifest::fromJson(json::parse(kManifest))) {}
    const PipelineManifest& manifest() const override { return manifest_; }
    std::vector<std::unique_ptr<Stage>> createStages() const override
    {
        std::vector<std::unique_ptr<Stage>> s;
        s.push_back(std::make_unique<CountStage>());
        s.push_back(std::make_unique<WriteStage>());
        return s;
    }

private:
    PipelineManifest manifest_;
};

class RecordingSink : public ProgressSink {
public:
    void progress(const ProgressEvent& e) override
    {
        std::lock_guard lock(mutex);
        events.push_back(e);
    }
    std::mutex mutex;
    std::vector<ProgressEvent> events;
};

struct Fixture {
    Fixture()
    {
        registry.add(std::make_shared<TestPipeline>());
        test::writeText(dir / "in.txt", "abc");
    }
    RunRequest request(json params = json::object())
    {
        RunRequest r;
        r.pipeline = "test-sum";
        r.inputs["input"] = dir / "in.txt";
        r.parameters = std::move(params);
        r.outputDir = dir / "out";
        return r;
    }
    test::TempDir dir;
    PipelineRegistry registry;
};

bool onlyInputLeft(const std::filesystem::path& dir)
{
    int n = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
        (void)e;
        ++n;
    }
    return n == 1;
}

} // namespace

TEST(PipelineManifest, JsonRoundTripAndDefaults)
{
    const auto m = PipelineManifest::fromJson(json::parse(kManifest));
    EXPECT_EQ(PipelineManifest::fromJson(m.toJson()).toJson(), m.toJson());
    const json p = m.resolveParameters(json::object());
    EXPECT_EQ(p["iterations"], 10);
    EXPECT_EQ(p["mode"], "fast");
    EXPECT_DOUBLE_EQ(p["scale"].get<double>(), 1.5);
}

TEST(PipelineManifest, BadParametersAreNamed)
{
    const auto m = PipelineManifest::fromJson(json::parse(kManifest));
    auto expectError = [&](const json& given, const std::string& fragment) {
        try {
            (void)m.resolveParameters(given);
            ADD_FAILURE() << given.dump() << " accepted";
        } catch (const InvalidArgument& e) {
            EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
        }
    };
    expectError({{"iteration", 3}}, "no parameter 'iteration'");
    expectError({{"iterations", 0}}, "outside its range");
    expectError({{"iterations", 2.5}}, "must be an integer");
    expectError({{"mode", "slow"}}, "not one of: fast, exact");
    expectError({{"fail", "yes"}}, "true or false");
    expectError(json::array(), "JSON object");
}

TEST(LocalExecutor, RunsStagesWritesBundleAndProvenance)
{
    Fixture f;
    LocalExecutor exec(f.registry);
    RecordingSink sink;
    const RunResult r = exec.run(f.request({{"iterations", 4}}), sink, {});
    ASSERT_EQ(r.status, RunStatus::Succeeded) << r.message;
    EXPECT_EQ(json::parse(std::ifstream(f.dir / "out" / "sum.json"))["sum"], 6.0);
    const json prov = json::parse(std::ifstream(f.dir / "out" / "provenance.json"));
    EXPECT_EQ(prov["inputs"][0]["sha256"], "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(prov["parameters"]["iterations"], 4);
    EXPECT_EQ(prov["device"], "cpu");
    EXPECT_EQ(prov["stage_timings"].size(), 2u);
    EXPECT_GT(prov["peak_rss_mib"].get<double>(), 0.0);
    EXPECT_EQ(prov["status"], "succeeded");
    // Overall progress is monotonic and reaches 1.
    double last = -1;
    for (const auto& e : sink.events) {
        EXPECT_GE(e.overall, last - 1e-12);
        last = e.overall;
    }
    EXPECT_NEAR(last, 1.0, 1e-9);
    EXPECT_EQ(sink.events.back().stageIndex, 1);
}

TEST(LocalExecutor, FailureLeavesNothingAndExplains)
{
    Fixture f;
    LocalExecutor exec(f.registry);
    NullProgressSink sink;
    const RunResult r = exec.run(f.request({{"fail", true}}), sink, {});
    EXPECT_EQ(r.status, RunStatus::Failed);
    EXPECT_NE(r.message.find("failed on purpose"), std::string::npos);
    EXPECT_TRUE(onlyInputLeft(f.dir.path()));
}

TEST(LocalExecutor, RejectsBadRequestsBeforeRunning)
{
    Fixture f;
    LocalExecutor exec(f.registry);
    NullProgressSink sink;
    auto req = f.request();
    req.pipeline = "nope";
    EXPECT_NE(exec.run(req, sink, {}).message.find("Unknown pipeline 'nope'"), std::string::npos);
    req = f.request({{"bogus", 1}});
    EXPECT_NE(exec.run(req, sink, {}).message.find("no parameter 'bogus'"), std::string::npos);
    req = f.request();
    req.inputs.clear();
    EXPECT_NE(exec.run(req, sink, {}).message.find("needs input 'input'"), std::string::npos);
    req = f.request();
    std::filesystem::create_directories(f.dir / "out");
    test::writeText(f.dir / "out" / "keep.txt", "user data");
    const RunResult r = exec.run(req, sink, {});
    EXPECT_EQ(r.status, RunStatus::Failed);
    EXPECT_NE(r.message.find("not empty"), std::string::npos);
    EXPECT_TRUE(std::filesystem::exists(f.dir / "out" / "keep.txt"));
}

TEST(PipelineManifest, OptionalInputsRoundTripAndOldManifestsStayRequired)
{
    const auto m = PipelineManifest::fromJson(json::parse(kManifest));
    ASSERT_EQ(m.inputs.size(), 2u);
    EXPECT_FALSE(m.inputs[0].optional);
    EXPECT_TRUE(m.inputs[1].optional);
    const json j = m.toJson();
    EXPECT_FALSE(j["inputs"][0].contains("optional")); // old manifests read and write as before
    EXPECT_EQ(j["inputs"][1]["optional"], true);
    EXPECT_TRUE(PipelineManifest::fromJson(j).inputs[1].optional);
}

TEST(LocalExecutor, OptionalInputMayBeLeftOutAndIsRecordedWhenGiven)
{
    Fixture f;
    LocalExecutor exec(f.registry);
    NullProgressSink sink;
    auto req = f.request();
    RunResult r = exec.run(req, sink, {});
    ASSERT_EQ(r.status, RunStatus::Succeeded) << r.message;
    EXPECT_EQ(r.provenance["inputs"].size(), 1u);

    test::writeText(f.dir / "extra.txt", "abc");
    req = f.request();
    req.inputs["extra"] = f.dir / "extra.txt";
    req.outputDir = f.dir / "out2";
    r = exec.run(req, sink, {});
    ASSERT_EQ(r.status, RunStatus::Succeeded) << r.message;
    ASSERT_EQ(r.provenance["inputs"].size(), 2u);
    EXPECT_EQ(r.provenance["inputs"][1]["name"], "extra");
    EXPECT_EQ(r.provenance["inputs"][1]["sha256"], "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");

    req.inputs["extra"] = f.dir / "missing.txt"; // given but absent: refused like a required one
    req.outputDir = f.dir / "out3";
    r = exec.run(req, sink, {});
    EXPECT_EQ(r.status, RunStatus::Failed);
    EXPECT_NE(r.message.find("Input 'extra' file"), std::string::npos) << r.message;
}

TEST(LocalExecutor, CancelStopsQuicklyAndLeavesNothing)
{
    Fixture f;
    LocalExecutor exec(f.registry);
    NullProgressSink sink;
    std::stop_source stop;
    RunResult r;
    const auto t0 = std::chrono::steady_clock::now();
    std::jthread worker([&] { r = exec.run(f.request({{"iterations", 100000}, {"sleep_ms", 1}}), sink, stop.get_token()); });
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    stop.request_stop();
    worker.join();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    EXPECT_EQ(r.status, RunStatus::Cancelled);
    EXPECT_LT(seconds, 2.0);
    EXPECT_TRUE(onlyInputLeft(f.dir.path()));
}

TEST(Workspace, TypedKeysPutGetAndNameMissingOrMistypedItems)
{
    Workspace ws;
    constexpr WorkspaceKey<std::vector<int>> kList{"list"};
    EXPECT_FALSE(ws.contains(kList));
    EXPECT_THROW({ (void)ws.get(kList); }, Error);
    ws.put(kList, std::vector<int>{1, 2, 3});
    ASSERT_TRUE(ws.contains(kList));
    ws.get(kList).push_back(4);
    EXPECT_EQ(ws.get(kList).size(), 4u);
    // Two stages that disagree on a datum's type under one name: a clear error, not a bad cast.
    constexpr WorkspaceKey<std::string> kSameName{"list"};
    try {
        (void)ws.get(kSameName);
        FAIL() << "a mistyped get must throw";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("'list' has another type"), std::string::npos) << e.what();
    }
    ws.erase(kList);
    EXPECT_FALSE(ws.contains(kList));
}

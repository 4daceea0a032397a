// Queue semantics of RedisJobQueue against a private redis-server: claim, ack, reclaim after the idle timeout
// (heartbeats keep a job), device classes, cancel propagation, a second completion, Redis restarts.
#include "RedisProcess.h"
#include "TestSupport.h"
#include "strata/remote/Database.h"
#include "strata/remote/RedisJobQueue.h"

#include <gtest/gtest.h>

using namespace strata;
using namespace strata::remote;
using nlohmann::json;
using namespace std::chrono_literals;

#define STRATA_NEED_REDIS()                                                                                           \
    if (test::redisServerPath().empty()) GTEST_SKIP() << "redis-server is not installed (apt install redis-server)"

namespace {

JobRecord makeJob(const std::string& id, const std::string& device = "auto")
{
    JobRecord j;
    j.id = id;
    j.owner = "alice";
    j.pipeline = "selftest";
    j.state = "queued";
    j.request = {{"pipeline", "selftest"}, {"parameters", json::object()}, {"inputs", json::object()}, {"device", device}};
    return j;
}

std::unique_ptr<RedisJobQueue> worker(const test::RedisProcess& redis, const std::string& name,
                                      std::vector<std::string> classes = {"any"}, std::chrono::milliseconds reclaim = 1000ms)
{
    RedisQueueOptions o;
    o.consumer = name;
    o.classes = std::move(classes);
    o.reclaimAfter = reclaim;
    o.block = 200ms;
    auto q = std::make_unique<RedisJobQueue>(RedisUrl::parse(redis.url()), o);
    q->connect();
    return q;
}

/// pop() for at most `seconds`.
std::optional<JobRecord> popFor(RedisJobQueue& q, std::chrono::milliseconds timeout)
{
    std::stop_source stop;
    std::jthread timer([&](std::stop_token t) {
        const auto until = std::chrono::steady_clock::now() + timeout;
        while (!t.stop_requested() && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(10ms);
        stop.request_stop();
    });
    return q.pop(stop.get_token());
}

} // namespace

TEST(RedisQueue, ClaimAckAndReclaimOnlyAfterIdleTimeout)
{
    STRATA_NEED_REDIS();
    test::TempDir dir;
    test::RedisProcess redis(dir / "redis");
    ASSERT_TRUE(redis.start());
    auto server = worker(redis, "server");
    auto a = worker(redis, "a"), b = worker(redis, "b");
    server->push(makeJob("job1"));

    auto got = popFor(*a, 2s);
    ASSERT_TRUE(got);
    EXPECT_EQ(got->id, "job1");
    EXPECT_EQ(got->attempts, 1);
    EXPECT_FALSE(popFor(*b, 300ms)) << "a holds it and it is not idle yet";

    // a heartbeats: b cannot take it although more than the timeout passed in total.
    for (int i = 0; i < 4; ++i) {
        std::this_thread::sleep_for(400ms);
        a->touch("job1");
        EXPECT_TRUE(b->reclaim().empty());
    }
    // a dies (no more heartbeats): after the idle timeout b reclaims it and runs it as attempt 2.
    std::this_thread::sleep_for(1200ms);
    EXPECT_EQ(b->reclaim(), std::vector<std::string>{"job1"});
    got = popFor(*b, 1s);
    ASSERT_TRUE(got);
    EXPECT_EQ(got->id, "job1");
    EXPECT_EQ(got->attempts, 2);
    b->finish("job1", {{"state", "succeeded"}, {"files", json::array()}});
    EXPECT_TRUE(b->result("job1"));
    auto pending = server->control().command({"XPENDING", "strata:jobs:any", "workers"});
    EXPECT_EQ(pending.elements.at(0).integer, 0) << "finish acks the entry";
    EXPECT_EQ(server->control().command({"XLEN", "strata:jobs:any"}).integer, 0);

    // The server sees the finish on the events stream, once.
    auto events = server->readEvents({});
    if (events.empty()) events = server->readEvents({});
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0]["job"], "job1");
    EXPECT_EQ(events[0]["event"]["type"], "finished");
    server->ackEvents({events[0]["id"].get<std::string>()});
    EXPECT_TRUE(server->readEvents({}).empty());
}

TEST(RedisQueue, SecondCompletionAndDuplicateEntriesChangeNothing)
{
    STRATA_NEED_REDIS();
    test::TempDir dir;
    test::RedisProcess redis(dir / "redis");
    ASSERT_TRUE(redis.start());
    auto server = worker(redis, "server");
    auto a = worker(redis, "a"), b = worker(redis, "b");
    server->push(makeJob("job2"));
    ASSERT_TRUE(popFor(*a, 2s));
    std::this_thread::sleep_for(1100ms); // a looks dead
    ASSERT_TRUE(popFor(*b, 2s));         // b's pop reclaims it
    b->finish("job2", {{"state", "succeeded"}, {"attempt", 2}});
    a->finish("job2", {{"state", "succeeded"}, {"attempt", 1}}); // a was only slow

    server->push(makeJob("job2")); // the same job pushed twice (the server's reconcile after a Redis restart)
    EXPECT_FALSE(popFor(*a, 500ms)) << "a finished job is never run again";
    EXPECT_EQ(server->control().command({"XLEN", "strata:jobs:any"}).integer, 0);

    // The store takes the first finish only.
    Database db(dir / "jobs.db");
    db.insertJob(makeJob("job2"));
    EXPECT_TRUE(db.markStarted("job2", 1));
    EXPECT_TRUE(db.finishActiveJob("job2", "succeeded", "first", json::array(), 2));
    EXPECT_FALSE(db.finishActiveJob("job2", "succeeded", "second", json::array(), 1));
    EXPECT_FALSE(db.markStarted("job2", 3));
    EXPECT_EQ(db.job("job2")->message, "first");
    EXPECT_EQ(db.job("job2")->attempts, 2);
}

TEST(RedisQueue, JobsThatNeedCudaGoOnlyToGpuWorkers)
{
    STRATA_NEED_REDIS();
    test::TempDir dir;
    test::RedisProcess redis(dir / "redis");
    ASSERT_TRUE(redis.start());
    auto server = worker(redis, "server");
    auto cpu = worker(redis, "cpu", {"any"});
    auto gpu = worker(redis, "gpu", {"gpu", "any"});
    server->push(makeJob("needs-cuda", "cuda"));
    server->push(makeJob("cpu-only", "cpu"));
    auto got = popFor(*cpu, 2s);
    ASSERT_TRUE(got);
    EXPECT_EQ(got->id, "cpu-only");
    EXPECT_FALSE(popFor(*cpu, 500ms)) << "a CPU worker never takes a cuda job";
    got = popFor(*gpu, 2s);
    ASSERT_TRUE(got);
    EXPECT_EQ(got->id, "needs-cuda");
}

TEST(RedisQueue, CancelReachesTheWorker)
{
    STRATA_NEED_REDIS();
    test::TempDir dir;
    test::RedisProcess redis(dir / "redis");
    ASSERT_TRUE(redis.start());
    auto server = worker(redis, "server");
    auto a = worker(redis, "a");
    server->push(makeJob("running"));
    server->push(makeJob("queued"));
    auto got = popFor(*a, 2s);
    ASSERT_TRUE(got);
    EXPECT_FALSE(got->cancelRequested);
    EXPECT_FALSE(a->cancelRequested("running"));
    server->cancel("running"); // while it runs: the worker polls the key
    EXPECT_TRUE(a->cancelRequested("running"));
    server->cancel("queued"); // before it started: the worker sees it when it takes the job
    got = popFor(*a, 2s);
    ASSERT_TRUE(got);
    EXPECT_EQ(got->id, "queued");
    EXPECT_TRUE(got->cancelRequested);
    server->forget("running");
    EXPECT_FALSE(a->cancelRequested("running"));
}

TEST(RedisQueue, UnreachableRedisIsAClearError)
{
    STRATA_NEED_REDIS();
    const int port = test::freeLoopbackPort();
    RedisJobQueue q(RedisUrl::parse("redis://127.0.0.1:" + std::to_string(port) + "/2"));
    try {
        q.connect();
        FAIL() << "connect() must throw";
    } catch (const QueueUnavailable& e) {
        EXPECT_NE(std::string(e.what()).find("Cannot reach Redis at redis://127.0.0.1:" + std::to_string(port) + "/2"),
                  std::string::npos)
            << e.what();
    }
    EXPECT_THROW(RedisUrl::parse("http://127.0.0.1:6379"), InvalidArgument);
    EXPECT_EQ(RedisUrl::parse("redis://:secret@redis:6380/3").password, "secret");
    EXPECT_EQ(RedisUrl::parse("redis://redis", "env").display(), "redis://redis:6379/0");
}

TEST(RedisQueue, NothingIsLostWhenRedisRestarts)
{
    STRATA_NEED_REDIS();
    test::TempDir dir;
    test::RedisProcess redis(dir / "redis", "always");
    ASSERT_TRUE(redis.start());
    auto server = worker(redis, "server");
    auto a = worker(redis, "a", {"any"}, 60s); // "held" must not look abandoned during the test
    server->push(makeJob("held"));
    server->push(makeJob("waiting"));
    ASSERT_TRUE(popFor(*a, 2s)); // "held" is pending at a

    redis.kill9();
    std::optional<JobRecord> got;
    std::jthread popper([&] { got = popFor(*a, 15s); }); // reconnects with backoff meanwhile
    std::this_thread::sleep_for(700ms);
    ASSERT_TRUE(redis.start());
    popper.join();
    ASSERT_TRUE(got);
    EXPECT_EQ(got->id, "waiting");
    a->finish("waiting", {{"state", "succeeded"}});
    a->finish("held", {{"state", "succeeded"}});
    EXPECT_TRUE(a->result("held"));
    EXPECT_EQ(server->control().command({"XLEN", "strata:jobs:any"}).integer, 0);
}

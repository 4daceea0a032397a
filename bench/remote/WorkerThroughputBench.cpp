// Throughput of strata-server --queue redis:// with 1 and then 2 strata-worker processes on loopback, in one run:
// the same J jobs (a small knee phantom through the knee-mri pipeline by default) on a fresh Redis, server and
// workers each time; prints jobs/min for each and the ratio. Each worker runs its jobs with --threads T (1), so
// two workers use twice the cores of one.
//
//   strata_worker_bench [--jobs 8] [--pipeline knee-mri|selftest] [--size 96] [--threads 1] [--max-workers 2]
//                       [--step-ms 0]   (selftest: 20 steps of MS ms each)
#include "RedisProcess.h"
#include "ServerProcess.h"
#include "strata/ImageIO.h"
#include "strata/Sha256.h"
#include "strata/phantom/KneePhantom.h"
#include "strata/remote/Client.h"

#include <iostream>

using namespace strata;
using nlohmann::json;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
    int jobs{8};
    std::string pipeline{"knee-mri"};
    int size{96};
    int threads{1};
    int maxWorkers{2};
    int stepMs{0}; ///< selftest: sleep per step (20 steps): a job that waits instead of computing
};

/// Seconds for `o.jobs` jobs on `workers` workers (from the first submission to the last success); -1 on failure.
double runOnce(const Options& o, int workers, const fs::path& input, const fs::path& dir)
{
    test::RedisProcess redis(dir / "redis");
    if (!redis.start()) {
        std::cerr << "redis-server did not start\n";
        return -1;
    }
    test::ServerProcess server(dir / "data", {"--queue", redis.url()});
    server.start();
    std::vector<std::unique_ptr<test::ChildProcess>> procs;
    for (int w = 0; w < workers; ++w) {
        auto p = std::make_unique<test::ChildProcess>();
        p->start({STRATA_WORKER_PATH, "--queue", redis.url(), "--data", server.dataDir().string(), "--device", "cpu",
                  "--selftest-pipeline", "--threads", std::to_string(o.threads), "--name", "w" + std::to_string(w)},
                 dir / ("w" + std::to_string(w)));
        for (int i = 0; i < 600 && p->out().find("waiting for jobs") == std::string::npos; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        procs.push_back(std::move(p));
    }
    remote::Endpoint e;
    e.url = server.url();
    e.token = server.adminToken();
    remote::ApiClient c(e);
    const std::string sha = Sha256::ofPath(input);
    c.post("/uploads", {{"sha256", sha}, {"size", fs::file_size(input)}, {"name", input.filename().string()}});
    std::ifstream in(input, std::ios::binary);
    c.put("/uploads/" + sha, std::string((std::istreambuf_iterator<char>(in)), {}));

    const auto t0 = Clock::now();
    std::vector<std::string> ids;
    for (int j = 0; j < o.jobs; ++j) {
        json body{{"pipeline", o.pipeline}, {"device", "cpu"}, {"threads", o.threads}};
        if (o.pipeline == "selftest") {
            body["inputs"] = {{"file", {{"sha256", sha}, {"name", input.filename().string()}}}};
            body["parameters"] = {{"steps", 20}, {"step_ms", o.stepMs}};
        } else {
            body["inputs"] = {{"image", {{"sha256", sha}, {"name", input.filename().string()}}}};
        }
        const auto r = c.post("/jobs", body);
        if (r.status != 202) {
            std::cerr << "submission failed: " << r.body.dump() << '\n';
            return -1;
        }
        ids.push_back(r.body["id"]);
    }
    for (;;) {
        int done = 0, failed = 0;
        for (const auto& job : c.get("/jobs?limit=1000").body) {
            done += job["state"] == "succeeded";
            if (job["state"] == "failed" || job["state"] == "cancelled") {
                ++failed;
                std::cerr << "job " << job["id"] << " " << job["state"] << ": " << job["message"] << '\n';
            }
        }
        if (failed) return -1;
        if (done == o.jobs) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

} // namespace

int main(int argc, char** argv)
{
    Options o;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i], v = argv[i + 1];
        if (a == "--jobs") o.jobs = std::stoi(v);
        else if (a == "--pipeline") o.pipeline = v;
        else if (a == "--size") o.size = std::stoi(v);
        else if (a == "--threads") o.threads = std::stoi(v);
        else if (a == "--max-workers") o.maxWorkers = std::stoi(v);
        else if (a == "--step-ms") o.stepMs = std::stoi(v);
        else {
            std::cerr << "usage: strata_worker_bench [--jobs N] [--pipeline knee-mri|selftest] [--size VOXELS] "
                         "[--threads T] [--max-workers W] [--step-ms MS]\n";
            return 2;
        }
    }
    if (test::redisServerPath().empty()) {
        std::cerr << "redis-server is not installed (apt install redis-server)\n";
        return 2;
    }
    const fs::path dir = fs::temp_directory_path() / ("strata-worker-bench-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    fs::path input = dir / "knee.nii.gz";
    if (o.pipeline == "selftest") {
        input = dir / "input.bin";
        std::ofstream(input) << std::string(1 << 20, 'x');
    } else {
        phantom::KneePhantomParams params;
        params.seed = 7;
        params.size = {static_cast<std::size_t>(o.size), static_cast<std::size_t>(o.size), static_cast<std::size_t>(o.size / 2)};
        writeImage(phantom::generateKneePhantom(params).image, input);
    }
    std::cout << "pipeline " << o.pipeline << ", " << o.jobs << " jobs, " << o.threads << " thread(s) per job, "
              << std::thread::hardware_concurrency() << " cores\n";
    double first = 0;
    int rc = 0;
    for (int w = 1; w <= o.maxWorkers; ++w) {
        const double s = runOnce(o, w, input, dir / ("run-" + std::to_string(w)));
        if (s < 0) {
            rc = 1;
            break;
        }
        const double perMin = o.jobs * 60.0 / s;
        if (w == 1) first = perMin;
        std::printf("%d worker(s): %d jobs in %.1f s = %.1f jobs/min (x%.2f vs 1 worker)\n", w, o.jobs, s, perMin,
                    perMin / first);
        std::fflush(stdout);
    }
    std::error_code ec;
    fs::remove_all(dir, ec);
    return rc;
}

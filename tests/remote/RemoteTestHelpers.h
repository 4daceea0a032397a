#pragma once

// Helpers of the strata-server end-to-end tests (RemoteServerTest.cpp, RemoteJobsTest.cpp).
#include "ServerProcess.h"
#include "TestSupport.h"
#include "strata/ImageIO.h"
#include "strata/Sha256.h"
#include "strata/remote/Client.h"
#include "strata/remote/Database.h"
#include "strata/remote/RemoteExecutor.h"
#include "strata/remote/Tls.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <chrono>
#include <mutex>
#include <sstream>
#include <thread>
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <mutex>
#include <thread>

namespace strata::test {

using nlohmann::json;
namespace fs = std::filesystem;


class RecordingSink : public pipeline::ProgressSink {
public:
    void progress(const pipeline::ProgressEvent& e) override
    {
        std::lock_guard lock(mutex);
        events.push_back(e);
    }
    void log(const std::string& message) override
    {
        std::lock_guard lock(mutex);
        logs.push_back(message);
    }
    std::vector<pipeline::ProgressEvent> events;
    std::vector<std::string> logs;
    std::mutex mutex;
};

inline remote::Endpoint endpoint(const test::ServerProcess& server, const std::string& token)
{
    remote::Endpoint e;
    e.url = server.url();
    e.token = token;
    return e;
}

inline fs::path writeFile(const fs::path& path, std::size_t bytes, unsigned seed = 1)
{
    std::string data(bytes, '\0');
    std::uint32_t x = seed * 2654435761u + 1;
    for (auto& c : data) {
        x = x * 1664525u + 1013904223u;
        c = static_cast<char>(x >> 24);
    }
    test::writeText(path, data);
    return path;
}

inline pipeline::RunRequest selftest(const fs::path& input, const fs::path& out, json params = json::object())
{
    pipeline::RunRequest r;
    r.pipeline = "selftest";
    r.inputs["file"] = input;
    r.outputDir = out;
    r.parameters = std::move(params);
    return r;
}

inline json waitForState(remote::ApiClient& client, const std::string& id, const std::string& state, double seconds = 60)
{
    json job;
    const auto t0 = std::chrono::steady_clock::now();
    while (std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() < seconds) {
        job = client.get("/jobs/" + id).body;
        if (job.value("state", "") == state) return job;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return job;
}

inline std::string upload(remote::ApiClient& client, const fs::path& file)
{
    const std::string sha = Sha256::ofPath(file);
    client.post("/uploads", {{"sha256", sha}, {"size", fs::file_size(file)}, {"name", file.filename().string()}});
    std::ifstream in(file, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), {});
    EXPECT_EQ(client.put("/uploads/" + sha, bytes).status, 200);
    return sha;
}

} // namespace strata::test

// The hostile-client suite (issue: security defects found by a hostile client). Each test starts its own
// strata-server on loopback and attacks it the way the report did; the server must answer clearly and keep serving.
#include "RawSocket.h"
#include "RemoteTestHelpers.h"

#include <future>
#include <iostream>
#include <memory>
#include <vector>

using namespace strata;
using namespace strata::remote;
using namespace std::chrono_literals;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

std::string request(const std::string& method, const std::string& path, const std::string& token,
                    const std::string& extraHeaders = "", const std::string& body = "")
{
    return method + " /api/v1" + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token + "\r\n" +
           extraHeaders + (body.empty() ? "" : "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n") +
           "\r\n" + body;
}

int statusOf(const std::string& response)
{
    return response.rfind("HTTP/1.1 ", 0) == 0 ? std::stoi(response.substr(9, 3)) : 0;
}

std::string bodyOf(const std::string& response)
{
    const auto at = response.find("\r\n\r\n");
    return at == std::string::npos ? "" : response.substr(at + 4);
}

} // namespace

TEST(RemoteSecurity, DeeplyNestedJsonIsRefusedAndTheServerKeepsServing)
{
    test::TempDir dir;
    test::ServerProcess server(dir / "data");
    ASSERT_TRUE(server.start());
    ApiClient c(test::endpoint(server, server.adminToken()));
    // The report's one-request crash: a parameter of the wrong type nested 80,000 levels deep.
    const std::size_t depth = 80000;
    const std::string deep = "{\"pipeline\":\"selftest\",\"parameters\":{\"steps\":" + std::string(depth, '[') +
                             std::string(depth, ']') + "}}";
    auto r = c.postRaw("/jobs", deep, "application/json");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body["error"]["code"], "bad_json");
    EXPECT_EQ(r.body["error"]["max"], 64);
    // Within the depth limit, a value of the wrong type is described, not printed whole.
    r = c.post("/jobs", {{"pipeline", "selftest"}, {"parameters", {{"steps", json::array({json::array({1, 2}), 3})}}}});
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body["error"]["parameter"], "steps");
    EXPECT_NE(r.body["error"]["message"].get<std::string>().find("an array of 2 elements"), std::string::npos);
    r = c.post("/jobs", {{"pipeline", "selftest"}, {"parameters", {{"steps", std::string(100000, 'x')}}}});
    EXPECT_EQ(r.status, 400);
    EXPECT_LT(r.body["error"]["message"].get<std::string>().size(), 300u);
    EXPECT_EQ(c.get("/health").status, 200);
}

TEST(RemoteSecurity, FieldsOfTheWrongTypeGet400NamingTheFieldNot500)
{
    test::TempDir dir;
    test::ServerProcess server(dir / "data");
    ASSERT_TRUE(server.start());
    ApiClient c(test::endpoint(server, server.adminToken()));
    auto r = c.post("/jobs", {{"pipeline", "selftest"}, {"device", 5}});
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body["error"]["field"], "device");
    r = c.post("/jobs", {{"pipeline", "selftest"}, {"inputs", {{"file", json::array()}}}});
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body["error"]["field"], "inputs.file");
    r = c.post("/jobs", {{"pipeline", "selftest"}, {"inputs", {{"file", {{"sha256", 7}}}}}});
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body["error"]["field"], "inputs.file");
    r = c.post("/uploads", {{"sha256", 123}, {"size", 10}});
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body["error"]["field"], "sha256");
    // Invalid UTF-8 in a path: a JSON 404, not an exception while printing the answer.
    test::RawSocket s(server.port());
    ASSERT_TRUE(s.send(request("GET", "/jobs/%c0%ae%ff", server.adminToken())));
    const std::string answer = s.readResponse(10);
    EXPECT_EQ(statusOf(answer), 404) << answer;
    EXPECT_FALSE(json::parse(bodyOf(answer), nullptr, false).is_discarded()) << answer;
    EXPECT_EQ(c.get("/health").status, 200);
}

TEST(RemoteSecurity, OversizedRequestHeadsGet431AndCostNoMemory)
{
    test::TempDir dir;
    test::ServerProcess server(dir / "data");
    ASSERT_TRUE(server.start());
    const std::string token = server.adminToken();
    { // too many header lines
        std::string headers;
        for (int i = 0; i < 150; ++i) headers += "X-Filler-" + std::to_string(i) + ": a\r\n";
        test::RawSocket s(server.port());
        ASSERT_TRUE(s.send(request("GET", "/health", token, headers)));
        const std::string answer = s.readAll(10);
        EXPECT_EQ(statusOf(answer), 431) << answer.substr(0, 200);
        EXPECT_TRUE(s.closed());
    }
    // Found by fuzzing: a bare LF or "\r\r\n" line ended the gate's head while httplib read on, unlimited.
    for (const std::string blank : {"\n", "\r\r\n"}) {
        std::string headers = blank;
        for (int i = 0; i < 150; ++i) headers += "X-Filler-" + std::to_string(i) + ": a\r\n";
        test::RawSocket s(server.port());
        ASSERT_TRUE(s.send(request("GET", "/health", token, headers)));
        const std::string answer = s.readAll(10);
        EXPECT_EQ(statusOf(answer), 431) << blank.size() << ": " << answer.substr(0, 200);
    }
    { // 100 headers are fine
        std::string headers;
        for (int i = 0; i < 95; ++i) headers += "X-Filler-" + std::to_string(i) + ": a\r\n";
        test::RawSocket s(server.port());
        ASSERT_TRUE(s.send(request("GET", "/health", token, headers)));
        EXPECT_EQ(statusOf(s.readResponse(10)), 200);
    }
    // The report's memory attack: hundreds of MiB of headers on a few sockets. Each is cut off at 64 KiB.
    const long before = test::residentKb(server.pid());
    std::vector<std::future<std::pair<int, std::size_t>>> attacks;
    for (int k = 0; k < 4; ++k) {
        attacks.push_back(std::async(std::launch::async, [&server] {
            test::RawSocket s(server.port());
            std::size_t sent = 0;
            const std::string line = "X-Big: " + std::string(8000, 'a') + "\r\n";
            bool open = s.send("GET /api/v1/health HTTP/1.1\r\nHost: x\r\n");
            while (open && sent < (64u << 20)) { // up to 64 MiB each unless the server hangs up first
                open = s.send(line);
                sent += line.size();
            }
            return std::make_pair(statusOf(s.readAll(10)), sent);
        }));
    }
    for (auto& a : attacks) {
        const auto [status, sent] = a.get();
        std::cout << "[ figures  ] header flood: server hung up after " << sent << " bytes (answer " << status << ")\n";
        EXPECT_LT(sent, 8u << 20) << "the server kept reading a request head of " << sent << " bytes";
        if (status != 0) {
            EXPECT_EQ(status, 431);
        }
    }
    const long after = test::residentKb(server.pid());
    std::cout << "[ figures  ] resident memory " << before << " -> " << after << " kB after 4 header floods\n";
    EXPECT_LT(after - before, 64 * 1024) << "resident memory grew from " << before << " to " << after << " kB";
    ApiClient c(test::endpoint(server, token));
    EXPECT_EQ(c.get("/health").status, 200);
}

TEST(RemoteSecurity, SlowClientsDoNotLockOutOthers)
{
    test::TempDir dir;
    // Few workers and a short head deadline: 200 slow clients would have locked out a thread-per-connection server.
    test::ServerProcess server(dir / "data", {"--http-threads", "8", "--header-timeout", "3", "--max-waiting-per-address", "1000"});
    ASSERT_TRUE(server.start());
    const std::string token = server.adminToken();
    std::vector<std::unique_ptr<test::RawSocket>> slow;
    for (int i = 0; i < 200; ++i) {
        slow.push_back(std::make_unique<test::RawSocket>(server.port()));
        ASSERT_TRUE(slow.back()->connected());
        slow.back()->send(i % 2 ? "GET /api/v1/health HTTP/1.1\r\nHost: x\r\n" : "POST /api/v1/jo"); // never finished
    }
    // Normal clients beside them are served at once.
    ApiClient c(test::endpoint(server, token));
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < 20; ++i) ASSERT_EQ(c.get("/health").status, 200) << "request " << i;
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::cout << "[ figures  ] 20 requests beside 200 slow clients: " << seconds << " s\n";
    EXPECT_LT(seconds, 2.5) << "20 requests took " << seconds << " s beside 200 slow clients";
    // The slow ones are answered 408 and closed once the head deadline passes.
    int timedOut = 0;
    for (auto& s : slow) {
        const std::string answer = s->readAll(8);
        if (statusOf(answer) == 408 && s->closed()) ++timedOut;
    }
    EXPECT_EQ(timedOut, 200);
    EXPECT_EQ(c.get("/health").status, 200);
}

TEST(RemoteSecurity, OneAddressCannotHoldMoreThanItsShareOfWaitingConnections)
{
    test::TempDir dir;
    test::ServerProcess server(dir / "data", {"--max-waiting-per-address", "5", "--header-timeout", "30"});
    ASSERT_TRUE(server.start());
    std::vector<std::unique_ptr<test::RawSocket>> slow;
    for (int i = 0; i < 10; ++i) {
        if (i == 5) std::this_thread::sleep_for(1200ms); // the first five have waited over a second
        slow.push_back(std::make_unique<test::RawSocket>(server.port()));
        slow.back()->send("GET /api/v1/health HTTP/1.1\r\n");
        std::this_thread::sleep_for(20ms); // keeps their order of arrival
    }
    // The five that waited longest were dropped (503); the newest five still wait.
    for (int i = 0; i < 10; ++i) {
        const std::string answer = slow[static_cast<std::size_t>(i)]->readAll(i < 5 ? 5 : 0.3);
        if (i < 5) {
            EXPECT_EQ(statusOf(answer), 503) << "connection " << i;
        } else {
            EXPECT_FALSE(slow[static_cast<std::size_t>(i)]->closed()) << "connection " << i;
        }
    }
    ApiClient c(test::endpoint(server, server.adminToken())); // a client that sends its request promptly gets in
    EXPECT_EQ(c.get("/health").status, 200);
}

TEST(RemoteSecurity, WrongTokensAreRateLimitedPerAddress)
{
    test::TempDir dir;
    test::ServerProcess server(dir / "data", {"--auth-failures-per-minute", "5"});
    ASSERT_TRUE(server.start());
    ApiClient good(test::endpoint(server, server.adminToken()));
    EXPECT_EQ(good.get("/health").status, 200);
    ApiClient bad(test::endpoint(server, std::string(43, 'x')));
    for (int i = 0; i < 5; ++i) EXPECT_EQ(bad.get("/health").status, 401) << i;
    test::RawSocket s(server.port());
    ASSERT_TRUE(s.send(request("GET", "/health", "nope")));
    const std::string answer = s.readResponse(10);
    EXPECT_EQ(statusOf(answer), 429) << answer;
    EXPECT_NE(answer.find("Retry-After: "), std::string::npos) << answer;
    const int wait = std::stoi(answer.substr(answer.find("Retry-After: ") + 13));
    EXPECT_GE(wait, 1);
    EXPECT_LE(wait, 60);
    // While the address is limited it is not heard at all (a valid token from it waits too).
    EXPECT_EQ(good.get("/health").status, 429);
    // Behind a proxy on loopback (trusted by default) the limit is per client named in X-Forwarded-For.
    test::RawSocket other(server.port());
    ASSERT_TRUE(other.send(request("GET", "/health", server.adminToken(), "X-Forwarded-For: 203.0.113.9\r\n")));
    EXPECT_EQ(statusOf(other.readResponse(10)), 200);
}

TEST(RemoteSecurity, HugeDeclaredBodiesAreRefusedFromTheirLength)
{
    test::TempDir dir;
    test::ServerProcess server(dir / "data");
    ASSERT_TRUE(server.start());
    test::RawSocket s(server.port());
    const auto t0 = std::chrono::steady_clock::now();
    ASSERT_TRUE(s.send("POST /api/v1/jobs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + server.adminToken() +
                       "\r\nContent-Type: application/json\r\nContent-Length: 2000000000\r\n\r\n{\"pipeline\":"));
    const std::string answer = s.readResponse(10);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    EXPECT_EQ(statusOf(answer), 413) << answer;
    EXPECT_NE(answer.find("max_json_body_bytes"), std::string::npos) << answer;
    EXPECT_LT(seconds, 5.0);
    ApiClient c(test::endpoint(server, server.adminToken()));
    EXPECT_EQ(c.get("/health").status, 200);
}

TEST(RemoteSecurity, KeptAliveConnectionsServeSeveralRequestsAndPipelinedOnes)
{
    test::TempDir dir;
    test::ServerProcess server(dir / "data");
    ASSERT_TRUE(server.start());
    test::RawSocket s(server.port());
    for (int i = 0; i < 3; ++i) {
        ASSERT_TRUE(s.send(request("GET", "/health", server.adminToken())));
        EXPECT_EQ(statusOf(s.readResponse(10)), 200) << i;
    }
    // Two requests in one write: both are answered, in order.
    ASSERT_TRUE(s.send(request("GET", "/health", server.adminToken()) + request("GET", "/version", server.adminToken())));
    const std::string both = s.readAll(3);
    EXPECT_EQ(statusOf(both), 200);
    EXPECT_NE(both.find("\"api_version\""), std::string::npos) << both.substr(0, 300);
}

TEST(RemoteSecurity, InputsAreSizedFromTheirHeadersAndHeldToTheJobMemoryBudget)
{
    test::TempDir dir;
    test::ServerProcess server(dir / "data", {"--max-job-memory-gib", "0.001"}); // 1 MiB per job
    ASSERT_TRUE(server.start());
    ApiClient c(test::endpoint(server, server.adminToken()));
    // A 64^3 volume: 262,144 voxels is below max_voxels, but the knee pipeline needs ~64 bytes per voxel.
    Image img({64, 64, 64}, PixelType::UInt8);
    writeImage(img, dir / "cube.nii.gz");
    auto r = c.post("/jobs", {{"pipeline", "knee-mri"}, {"inputs", {{"image", {{"sha256", test::upload(c, dir / "cube.nii.gz")}, {"name", "cube.nii.gz"}}}}}});
    EXPECT_EQ(r.status, 413);
    EXPECT_EQ(r.body["error"]["limit"], "max_job_memory_bytes");
    EXPECT_EQ(c.get("/version").body["limits"]["max_job_memory_bytes"], static_cast<std::uint64_t>(0.001 * (1ull << 30)));
    // A PNG of a few bytes that declares 16384 x 16384 pixels: refused from its header, nothing is decoded.
    std::string png("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\x40\0\0\0\x40\0\x08\x00\0\0\0", 33);
    png += std::string("\0\0\0\0", 4) + std::string("\0\0\0\0IEND\xae\x42\x60\x82", 12);
    test::writeText(dir / "huge.png", png);
    const long before = test::residentKb(server.pid());
    r = c.post("/jobs", {{"pipeline", "classify"}, {"inputs", {{"images", {{"sha256", test::upload(c, dir / "huge.png")}, {"name", "huge.png"}}}}}});
    EXPECT_EQ(r.status, 413);
    EXPECT_EQ(r.body["error"]["limit"], "max_voxels");
    EXPECT_EQ(r.body["error"]["value"], 16384ull * 16384ull);
    EXPECT_LT(test::residentKb(server.pid()) - before, 32 * 1024);
    // A damaged volume: the message says what is wrong without the server's own paths.
    test::writeText(dir / "broken.nii.gz", "not a nifti file at all");
    r = c.post("/jobs", {{"pipeline", "knee-mri"}, {"inputs", {{"image", {{"sha256", test::upload(c, dir / "broken.nii.gz")}, {"name", "broken.nii.gz"}}}}}});
    EXPECT_EQ(r.status, 400);
    const std::string message = r.body["error"]["message"];
    EXPECT_NE(message.find("broken.nii.gz"), std::string::npos) << message;
    EXPECT_EQ(message.find(server.dataDir().string()), std::string::npos) << message;
    EXPECT_EQ(message.find(fs::canonical(server.dataDir()).string()), std::string::npos) << message;
}

TEST(RemoteSecurity, SlowTlsClientsAreCutOffAtTheHeadDeadline)
{
    test::TempDir dir;
    test::ServerProcess server(dir / "data", {"--self-signed", "--header-timeout", "2"});
    ASSERT_TRUE(server.start());
    const auto t0 = std::chrono::steady_clock::now();
    test::RawSocket silent(server.port());         // connects and says nothing
    test::RawSocket stalled(server.port());        // starts a TLS handshake and stalls inside it
    ASSERT_TRUE(stalled.send(std::string("\x16\x03\x01\x00\x50\x01\x00", 7)));
    silent.readAll(8);
    stalled.readAll(8);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    EXPECT_TRUE(silent.closed());
    EXPECT_TRUE(stalled.closed());
    EXPECT_LT(seconds, 6.0);
    // Real HTTPS clients are served (pinned self-signed certificate).
    Endpoint e = test::endpoint(server, server.adminToken());
    e.url = server.url("https");
    e.pinnedSha256 = certificateFingerprint(server.dataDir() / "tls" / "cert.pem");
    ApiClient c(e);
    EXPECT_EQ(c.get("/health").status, 200);
    EXPECT_EQ(c.get("/version").status, 200);
}

TEST(RemoteSecurity, ABurstOfPromptClientsFromOneAddressIsNeverRefused)
{
    test::TempDir dir;
    test::ServerProcess server(dir / "data", {"--max-waiting-per-address", "16"});
    ASSERT_TRUE(server.start());
    // 120 clients on their own keep-alive connections, all from 127.0.0.1, many more than the per-address share
    // of waiting connections: prompt clients and idle kept-alive ones are not what the share limits.
    std::vector<std::future<int>> clients;
    for (int i = 0; i < 120; ++i) {
        clients.push_back(std::async(std::launch::async, [&server] {
            ApiClient c(test::endpoint(server, server.adminToken()));
            int ok = 0;
            for (int k = 0; k < 3; ++k) {
                ok += c.get("/health").status == 200 ? 1 : 0;
                std::this_thread::sleep_for(100ms); // idle between requests: waits in the gate
            }
            return ok;
        }));
    }
    int ok = 0;
    for (auto& f : clients) ok += f.get();
    EXPECT_EQ(ok, 360);
}

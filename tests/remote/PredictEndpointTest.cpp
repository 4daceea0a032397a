// The synchronous prediction endpoint (POST /api/v1/models/{name}/predict): same labels and probabilities as the
// local classify pipeline, concurrent requests answered correctly through the batcher, and the bad paths: no
// token, unknown model, a segmentation model, not an image, a body over the limit, a bad top_k.
#include "ServerProcess.h"
#include "TestSupport.h"
#include "strata/ImageIO.h"
#include "strata/StandardPipelines.h"
#include "strata/classify/IdxFile.h"
#include "strata/pipeline/LocalExecutor.h"
#include "strata/remote/Client.h"

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <thread>

using namespace strata;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const fs::path kFashion = "/usr/share/datasets/fashion-mnist";

remote::Endpoint endpoint(const test::ServerProcess& s, const std::string& token)
{
    remote::Endpoint e;
    e.url = s.url();
    e.token = token;
    return e;
}

std::string readAll(const fs::path& p)
{
    std::ifstream f(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(f), {}};
}

} // namespace

TEST(PredictEndpoint, MatchesTheLocalPipelineAndBatchesConcurrentRequests)
{
    if (!fs::exists(kFashion / "t10k-images-idx3-ubyte.gz")) {
        GTEST_SKIP() << "Debian package dataset-fashion-mnist is not installed (setup.sh installs it)";
    }
    test::TempDir dir;
    const auto images = classify::IdxFile::read(kFashion / "t10k-images-idx3-ubyte.gz");
    fs::create_directories(dir / "in");
    constexpr int kImages = 8;
    for (int i = 0; i < kImages; ++i) {
        Image img({28, 28, 1}, PixelType::UInt8);
        std::memcpy(img.data(), images.data.data() + static_cast<std::size_t>(i) * 28 * 28, 28 * 28);
        char name[32];
        std::snprintf(name, sizeof name, "img%02d.png", i);
        writeImage(img, dir / "in" / name);
    }
    pipeline::RunRequest request;
    request.pipeline = "classify";
    request.inputs["images"] = dir / "in";
    request.outputDir = dir / "local";
    request.device = "cpu";
    request.parameters = {{"top_k", 3}};
    pipeline::NullProgressSink sink;
    ASSERT_EQ(pipeline::LocalExecutor(standardPipelines()).run(request, sink, {}).status, pipeline::RunStatus::Succeeded);
    const json local = json::parse(std::ifstream(dir / "local" / "predictions.json"));

    test::ServerProcess server(dir / "server", {"--predict-max-batch", "16", "--predict-max-wait-us", "5000"});
    ASSERT_TRUE(server.start());
    // Every image from its own thread at once: each answer must be that image's, whatever batch it rode in.
    std::vector<json> answers(kImages);
    std::vector<int> statuses(kImages, 0);
    std::vector<std::thread> threads;
    for (int i = 0; i < kImages; ++i) {
        threads.emplace_back([&, i] {
            remote::ApiClient c(endpoint(server, server.adminToken()));
            char name[32];
            std::snprintf(name, sizeof name, "img%02d.png", i);
            const auto r = c.postRaw("/models/fashion/predict?top_k=3", readAll(dir / "in" / name), "image/png");
            statuses[static_cast<std::size_t>(i)] = r.status;
            answers[static_cast<std::size_t>(i)] = r.body;
        });
    }
    for (auto& t : threads) t.join();
    for (int i = 0; i < kImages; ++i) {
        ASSERT_EQ(statuses[static_cast<std::size_t>(i)], 200) << answers[static_cast<std::size_t>(i)].dump();
        const auto& a = answers[static_cast<std::size_t>(i)];
        const auto& l = local["images"][static_cast<std::size_t>(i)]["top"];
        ASSERT_EQ(a["top"].size(), 3u);
        for (int k = 0; k < 3; ++k) {
            EXPECT_EQ(a["top"][k]["label"], l[k]["label"]) << "image " << i;
            EXPECT_NEAR(a["top"][k]["probability"].get<double>(), l[k]["probability"].get<double>(), 1e-4) << "image " << i;
        }
        EXPECT_EQ(a["model"], "fashion-cnn");
    }
}

TEST(PredictEndpoint, BadRequestsGetClearErrors)
{
    test::TempDir dir;
    test::ServerProcess server(dir / "server", {"--max-predict-bytes", "100000"});
    ASSERT_TRUE(server.start());
    remote::ApiClient c(endpoint(server, server.adminToken()));
    Image img({28, 28, 1}, PixelType::UInt8);
    writeImage(img, dir / "x.png");
    const std::string png = readAll(dir / "x.png");

    EXPECT_EQ(remote::ApiClient(endpoint(server, "wrong")).postRaw("/models/fashion/predict", png, "image/png").status, 401);
    auto r = c.postRaw("/models/nosuchmodel/predict", png, "image/png");
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.body["error"]["code"], "model_not_found");
    r = c.postRaw("/models/knee/predict", png, "image/png");
    EXPECT_EQ(r.status, 400);
    EXPECT_NE(r.errorMessage().find("not an image classifier"), std::string::npos) << r.errorMessage();
    r = c.postRaw("/models/fashion/predict", "hello, not an image", "image/png");
    EXPECT_EQ(r.status, 400);
    EXPECT_NE(r.errorMessage().find("not a PNG, JPEG, BMP or TIFF"), std::string::npos) << r.errorMessage();
    r = c.postRaw("/models/fashion/predict?top_k=99", png, "image/png");
    EXPECT_EQ(r.status, 400);
    EXPECT_NE(r.errorMessage().find("top_k"), std::string::npos) << r.errorMessage();
    r = c.postRaw("/models/fashion/predict?top_k=abc", png, "image/png");
    EXPECT_EQ(r.status, 400);
    r = remote::ApiClient(endpoint(server, server.adminToken())).postRaw("/models/fashion/predict", std::string(200000, 'x'), "image/png");
    EXPECT_EQ(r.status, 413);
    EXPECT_EQ(r.body["error"]["limit"], "max_predict_bytes");
    // The server is still fine.
    r = remote::ApiClient(endpoint(server, server.adminToken())).postRaw("/models/fashion/predict?top_k=1", png, "image/png");
    EXPECT_EQ(r.status, 200) << r.errorMessage();
    EXPECT_EQ(r.body["top"].size(), 1u);
}

// The contract: the same knee phantom analysed locally and on a strata-server gives bit-identical outputs
// (segmentation, thickness, meshes, metrics) and the same provenance apart from host and timing fields;
// likewise a super-resolution run (upscaled.png, bicubic.png, superres.json).
#include "ServerProcess.h"
#include "TestSupport.h"
#include "strata/ImageIO.h"
#include "strata/Sha256.h"
#include "strata/StandardPipelines.h"
#include "strata/phantom/KneePhantom.h"
#include "strata/pipeline/LocalExecutor.h"
#include "strata/superres/RgbImageOps.h"
#include "strata/remote/RemoteExecutor.h"

#include <gtest/gtest.h>

#include <map>

using namespace strata;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

std::map<std::string, std::string> bundleHashes(const fs::path& dir)
{
    std::map<std::string, std::string> out;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        if (e.is_regular_file()) out[fs::relative(e.path(), dir).generic_string()] = Sha256::ofPath(e.path());
    }
    return out;
}

/// Provenance without the fields that name the machine or measure time.
json comparable(json p)
{
    for (const char* key : {"host", "executor", "remote", "started_at", "finished_at", "total_seconds", "stage_timings",
                            "peak_rss_mib"}) {
        p.erase(key);
    }
    for (auto& in : p["inputs"]) {
        in.erase("path");
        in.erase("server_path");
    }
    return p;
}

} // namespace

TEST(RemoteContract, KneePhantomLocalAndRemoteAreBitIdentical)
{
    test::TempDir dir;
    phantom::KneePhantomParams params;
    params.seed = 77;
    params.size = {96, 96, 48};
    writeImage(phantom::generateKneePhantom(params).image, dir / "knee.nii.gz");

    pipeline::RunRequest request;
    request.pipeline = "knee-mri";
    request.inputs["image"] = dir / "knee.nii.gz";
    request.device = "cpu";
    request.threads = 2; // the same on both sides: results are deterministic for a given thread count
    request.parameters = {{"mesh_smoothing", 5}};

    pipeline::NullProgressSink sink;
    request.outputDir = dir / "local";
    pipeline::LocalExecutor local(standardPipelines());
    const auto a = local.run(request, sink, {});
    ASSERT_EQ(a.status, pipeline::RunStatus::Succeeded) << a.message;

    test::ServerProcess server(dir / "server");
    ASSERT_TRUE(server.start());
    request.outputDir = dir / "remote";
    remote::Endpoint endpoint;
    endpoint.url = server.url();
    endpoint.token = server.adminToken();
    remote::RemoteExecutor remoteExec(endpoint);
    const auto b = remoteExec.run(request, sink, {});
    ASSERT_EQ(b.status, pipeline::RunStatus::Succeeded) << b.message;

    auto ha = bundleHashes(dir / "local"), hb = bundleHashes(dir / "remote");
    ASSERT_TRUE(ha.count("segmentation.nii.gz"));
    ASSERT_TRUE(ha.count("metrics.json"));
    ha.erase("provenance.json");
    hb.erase("provenance.json");
    EXPECT_EQ(ha, hb);

    const json pa = json::parse(std::ifstream(dir / "local" / "provenance.json"));
    const json pb = json::parse(std::ifstream(dir / "remote" / "provenance.json"));
    EXPECT_EQ(comparable(pa), comparable(pb));
    EXPECT_EQ(pb["executor"], "remote");
    EXPECT_EQ(pb["inputs"][0]["path"], pa["inputs"][0]["path"]);
}

TEST(RemoteContract, SuperResImageLocalAndRemoteAreBitIdentical)
{
    test::TempDir dir;
    // a small image with edges and smooth colour (no test helper here: the remote tests do not link the unit ones)
    superres::RgbPlanes image(48, 36);
    for (int y = 0; y < image.height; ++y) {
        for (int x = 0; x < image.width; ++x) {
            image.at(0, y, x) = static_cast<float>(x) / image.width;
            image.at(1, y, x) = (x / 6 + y / 6) % 2 ? 0.8f : 0.2f;
            image.at(2, y, x) = static_cast<float>(y) / image.height;
        }
    }
    superres::writeRgbPng(image, dir / "small.png");

    pipeline::RunRequest request;
    request.pipeline = "superres";
    request.inputs["input"] = dir / "small.png";
    request.device = "cpu";
    request.threads = 2;
    request.parameters = {{"model", "slim-x2"}, {"tile", 32}};

    pipeline::NullProgressSink sink;
    request.outputDir = dir / "local";
    pipeline::LocalExecutor local(standardPipelines());
    const auto a = local.run(request, sink, {});
    ASSERT_EQ(a.status, pipeline::RunStatus::Succeeded) << a.message;

    test::ServerProcess server(dir / "server");
    ASSERT_TRUE(server.start());
    request.outputDir = dir / "remote";
    remote::Endpoint endpoint;
    endpoint.url = server.url();
    endpoint.token = server.adminToken();
    remote::RemoteExecutor remoteExec(endpoint);
    const auto b = remoteExec.run(request, sink, {});
    ASSERT_EQ(b.status, pipeline::RunStatus::Succeeded) << b.message;

    auto ha = bundleHashes(dir / "local"), hb = bundleHashes(dir / "remote");
    ASSERT_TRUE(ha.count("upscaled.png"));
    ASSERT_TRUE(ha.count("bicubic.png"));
    ha.erase("provenance.json");
    hb.erase("provenance.json");
    EXPECT_EQ(ha, hb);
    const json pa = json::parse(std::ifstream(dir / "local" / "provenance.json"));
    const json pb = json::parse(std::ifstream(dir / "remote" / "provenance.json"));
    EXPECT_EQ(comparable(pa), comparable(pb));
}

// A DICOM series folder as a remote input (issue 21): the client uploads each file of the folder and names them
// in the job ({"name", "files": [{"sha256", "name"}]}); the server puts the folder back together inside the job's
// own input folder, so a knee run on a server gets dicom/seg.dcm and dicom/sr.dcm like a local run. Hostile
// folder manifests (names with "../", too many files, too many bytes, names twice, someone else's upload) are
// refused or contained.
#include "PipelineRun.h"
#include "RemoteTestHelpers.h"
#include "DicomBytes.h"
#include "SyntheticDicom.h"
#include "strata/dicom/DicomSegReader.h"
#include "strata/dicom/KneeMeasurementReport.h"
#include "strata/phantom/KneePhantom.h"

#include <algorithm>
#include <set>

using namespace strata;
using namespace strata::remote;
using namespace strata::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

/// A small knee phantom written as a DICOM series in `dir`/dicom and its labels as `dir`/truth.nii.gz.
SyntheticSeries writeKneeSeries(const fs::path& dir)
{
    phantom::KneePhantomParams p;
    p.seed = 9;
    p.size = {96, 96, 40};
    p.spacing = {0.9, 0.9, 1.5};
    const auto knee = phantom::generateKneePhantom(p);
    SyntheticSeries s;
    s.laterality = "L";
    writeSyntheticSeries(knee.image, dir / "dicom", s);
    writeImage(knee.labels.image(), dir / "truth.nii.gz");
    return s;
}

std::string fileHash(const fs::path& p)
{
    return Sha256::ofPath(p);
}

} // namespace

TEST(RemoteDicomInput, SeriesFolderGivesSegAndSrLikeALocalRun)
{
    TempDir dir;
    const SyntheticSeries s = writeKneeSeries(dir.path());
    const auto local = runRequest(kneeOnGivenLabels(dir / "dicom", dir / "truth.nii.gz", dir / "local"));
    ASSERT_EQ(local.status, pipeline::RunStatus::Succeeded) << local.message;

    ServerProcess server(dir / "server");
    ASSERT_TRUE(server.start());
    RemoteExecutor remoteExec(endpoint(server, server.adminToken()));
    RecordingSink sink;
    const auto remote = remoteExec.run(kneeOnGivenLabels(dir / "dicom", dir / "truth.nii.gz", dir / "remote"), sink, {});
    ASSERT_EQ(remote.status, pipeline::RunStatus::Succeeded) << remote.message;

    // The bundle has the DICOM results a local run has, on the same series.
    ASSERT_TRUE(fs::exists(dir / "remote/dicom/seg.dcm"));
    ASSERT_TRUE(fs::exists(dir / "remote/dicom/sr.dcm"));
    for (const char* same : {"segmentation.nii.gz", "metrics.json"}) {
        EXPECT_EQ(fileHash(dir / "remote" / same), fileHash(dir / "local" / same)) << same;
    }
    const json prov = json::parse(std::ifstream(dir / "remote/provenance.json"));
    EXPECT_EQ(prov["notes"]["dicom"]["series_instance_uid"], s.seriesUid);
    EXPECT_EQ(prov["notes"]["dicom"]["instances"].size(), 40u);
    EXPECT_FALSE(prov["notes"]["dicom_export"].contains("error")) << prov["notes"]["dicom_export"].dump();
    EXPECT_EQ(prov["inputs"][0]["path"], fs::absolute(dir / "dicom").string()); // this machine's folder

    const Image scan = readImage(dir / "dicom");
    dicom::DicomSegInfo info;
    const LabelMap back = dicom::readDicomSeg(dir / "remote/dicom/seg.dcm", scan, &info);
    const LabelMap seg = readLabelMap(dir / "remote/segmentation.nii.gz");
    EXPECT_EQ(info.referencedSeriesUid, s.seriesUid);
    EXPECT_EQ(info.frameOfReferenceUid, s.frameOfReferenceUid);
    EXPECT_TRUE(std::equal(back.ids().begin(), back.ids().end(), seg.ids().begin()));
    const auto remoteGroups = dicom::readMeasurementReport(dir / "remote/dicom/sr.dcm");
    const auto localGroups = dicom::readMeasurementReport(dir / "local/dicom/sr.dcm");
    ASSERT_EQ(remoteGroups.size(), localGroups.size());
    ASSERT_FALSE(remoteGroups.empty());
    for (std::size_t g = 0; g < remoteGroups.size(); ++g) {
        EXPECT_EQ(remoteGroups[g].segSopInstanceUid, info.sopInstanceUid);
        EXPECT_EQ(remoteGroups[g].sourceSeriesUid, s.seriesUid);
        EXPECT_EQ(remoteGroups[g].trackingIdentifier, localGroups[g].trackingIdentifier);
        ASSERT_EQ(remoteGroups[g].measurements.size(), localGroups[g].measurements.size());
        for (std::size_t m = 0; m < remoteGroups[g].measurements.size(); ++m) {
            EXPECT_EQ(remoteGroups[g].measurements[m].value, localGroups[g].measurements[m].value);
        }
    }
}

TEST(RemoteDicomInput, HostileFolderManifestsAreRefusedOrContained)
{
    TempDir dir;
    writeKneeSeries(dir.path());
    ServerProcess server(dir / "data", {"--max-input-files", "40", "--max-upload-mib", "1", "--max-voxels", "500000"});
    ASSERT_TRUE(server.start());
    ApiClient c(endpoint(server, server.adminToken()));
    std::vector<fs::path> slices;
    for (const auto& e : fs::directory_iterator(dir / "dicom")) slices.push_back(e.path());
    std::sort(slices.begin(), slices.end());
    ASSERT_EQ(slices.size(), 40u);
    json files = json::array();
    for (std::size_t k = 0; k < slices.size(); ++k) {
        // Names that try to leave the folder: each becomes one safe name inside it.
        const std::string name = k == 0 ? "../../../../escaped.dcm" : k == 1 ? "/tmp/absolute.dcm"
                                 : k == 2 ? "..\\..\\windows.dcm" : k == 3 ? ".." : slices[k].filename().string();
        files.push_back({{"sha256", upload(c, slices[k])}, {"name", name}});
    }
    const std::string labels = upload(c, dir / "truth.nii.gz");
    const auto job = [&](const json& folder) {
        return c.post("/jobs", {{"pipeline", "knee-mri"},
                                {"parameters", {{"meshes", false}}},
                                {"device", "cpu"},
                                {"inputs", {{"image", folder}, {"labels", {{"sha256", labels}, {"name", "t.nii.gz"}}}}}});
    };

    // Too many files: 413 naming the limit; nothing written.
    json tooMany = files;
    tooMany.push_back(files[5]);
    tooMany.back()["name"] = "extra.dcm";
    auto r = job({{"name", "series"}, {"files", tooMany}});
    EXPECT_EQ(r.status, 413) << r.body.dump();
    EXPECT_EQ(r.body["error"]["limit"], "max_input_files");

    // More bytes than one input may hold (each file alone is within the limit).
    test::writeFile(dir / "big1.bin", 700 * 1024, 1);
    test::writeFile(dir / "big2.bin", 700 * 1024, 2);
    r = job({{"name", "series"},
             {"files", {{{"sha256", upload(c, dir / "big1.bin")}, {"name", "a"}}, {{"sha256", upload(c, dir / "big2.bin")}, {"name", "b"}}}}});
    EXPECT_EQ(r.status, 413) << r.body.dump();
    EXPECT_EQ(r.body["error"]["limit"], "max_upload_bytes");

    // A name twice once made safe, an empty folder, a malformed entry, an upload this token never made.
    json twice = files;
    twice[4]["name"] = "a b.dcm";
    twice[5]["name"] = "a_b.dcm";
    r = job({{"name", "series"}, {"files", twice}});
    EXPECT_EQ(r.status, 400) << r.body.dump();
    EXPECT_EQ(r.body["error"]["code"], "bad_input");
    r = job({{"name", "series"}, {"files", json::array()}});
    EXPECT_EQ(r.status, 400) << r.body.dump();
    r = job({{"name", "series"}, {"files", {{{"sha256", 42}, {"name", "x"}}}}});
    EXPECT_EQ(r.status, 400) << r.body.dump();
    json foreign = files;
    foreign[7]["sha256"] = std::string(64, 'a');
    r = job({{"name", "series"}, {"files", foreign}});
    EXPECT_EQ(r.status, 400) << r.body.dump();
    EXPECT_EQ(r.body["error"]["code"], "unknown_upload");
    // Each picture of a folder given to a 2D pipeline is held to the voxel limit, as a single picture is.
    writeImage(Image({10, 10, 1}, PixelType::UInt8), dir / "small.png");
    writeImage(Image({800, 800, 1}, PixelType::UInt8), dir / "large.png"); // 640,000 pixels
    r = c.post("/jobs", {{"pipeline", "ocr"},
                         {"inputs", {{"images", {{"name", "pages"},
                                                 {"files", {{{"sha256", upload(c, dir / "small.png")}, {"name", "small.png"}},
                                                            {{"sha256", upload(c, dir / "large.png")}, {"name", "large.png"}}}}}}}}});
    EXPECT_EQ(r.status, 413) << r.body.dump();
    EXPECT_EQ(r.body["error"]["limit"], "max_voxels");
    for (const auto& e : fs::directory_iterator(dir / "data" / "jobs")) ADD_FAILURE() << "left behind: " << e.path();

    // The hostile names are contained: the job runs on the folder rebuilt inside its own input folder.
    r = job({{"name", "../../up"}, {"files", files}});
    ASSERT_EQ(r.status, 202) << r.body.dump();
    const std::string id = r.body["id"];
    const json& stored = r.body["inputs"]["image"];
    EXPECT_EQ(stored["name"], "up");
    std::set<std::string> names;
    for (const auto& f : stored["files"]) names.insert(f["name"].get<std::string>());
    EXPECT_EQ(names.size(), 40u);
    EXPECT_TRUE(names.count("escaped.dcm") && names.count("absolute.dcm") && names.count("input")) << stored.dump();
    for (const auto& n : names) EXPECT_TRUE(n.find('/') == std::string::npos && n.find('\\') == std::string::npos && n != "..") << n;
    // The job list names a folder input by its file count (a long series would make every listing long).
    const json listed = c.get("/jobs").body;
    ASSERT_EQ(listed.size(), 1u);
    EXPECT_EQ(listed[0]["inputs"]["image"]["file_count"], 40);
    EXPECT_FALSE(listed[0]["inputs"]["image"].contains("files"));
    const json done = waitForState(c, id, "succeeded", 120);
    EXPECT_EQ(done["state"], "succeeded") << done.dump();
    bool seg = false;
    for (const auto& f : done.value("files", json::array())) seg = seg || f["path"] == "dicom/seg.dcm";
    EXPECT_TRUE(seg) << done.dump();
    for (const fs::path& outside : {dir / "escaped.dcm", dir / "data" / "escaped.dcm", dir / "data" / "jobs" / "escaped.dcm",
                                    dir / "data" / "jobs" / id / "escaped.dcm", fs::path("/tmp/absolute.dcm"), dir / "up"}) {
        EXPECT_FALSE(fs::exists(outside)) << outside;
    }
}

// A series folder with one compressed slice that makes GDCM's JPEG decoder assert (issue 23): before, the server
// aborted while sizing the upload (gdcm::SerieHelper decoded every compressed file of the folder) and a worker while
// reading it. Now the request is sized from headers, the job fails naming the slice, and the server goes on serving.
TEST(RemoteDicomInput, ACompressedSliceThatKillsTheDecoderFailsItsJobNotTheServer)
{
    using namespace strata::test::rawdicom;
    TempDir dir;
    fs::create_directories(dir / "series");
    std::string rle = le32(1) + le32(64) + std::string(56, '\0') + std::string(1, static_cast<char>(63)) +
                      std::string(64, '\x40'); // one literal run of 64 bytes: an 8 x 8 slice
    for (int k = 0; k < 4; ++k) {
        const std::string identity = element(8, 0x18, "UI", "1.2.3.4." + std::to_string(k + 1)) + element(8, 0x60, "CS", "MR") +
                                     element(0x20, 0x0d, "UI", "1.2.3.9") + element(0x20, 0x0e, "UI", "1.2.3.9.1") +
                                     element(0x20, 0x13, "IS", std::to_string(k + 1)) +
                                     element(0x20, 0x32, "DS", "0\\0\\" + std::to_string(k)) +
                                     element(0x20, 0x37, "DS", "1\\0\\0\\0\\1\\0");
        const bool hostile = k == 3;
        std::ofstream(dir / "series" / ("s" + std::to_string(k) + ".dcm"), std::ios::binary)
            << encapsulatedImage(hostile ? "1.2.840.10008.1.2.4.50" : "1.2.840.10008.1.2.5", 8, 8, 8, 1,
                                 hostile ? std::string("\xff\xd8") : rle, identity);
    }
    ServerProcess server(dir / "data");
    ASSERT_TRUE(server.start());
    ApiClient c(endpoint(server, server.adminToken()));
    json files = json::array();
    for (int k = 0; k < 4; ++k) {
        const auto f = dir / "series" / ("s" + std::to_string(k) + ".dcm");
        files.push_back({{"sha256", upload(c, f)}, {"name", f.filename().string()}});
    }
    const auto r = c.post("/jobs", {{"pipeline", "knee-mri"}, {"device", "cpu"},
                                    {"inputs", {{"image", {{"name", "series"}, {"files", files}}}}}});
    ASSERT_EQ(r.status, 202) << r.body.dump();
    const json done = waitForState(c, r.body["id"], "failed", 60);
    ASSERT_EQ(done.value("state", ""), "failed") << done.dump();
    const std::string message = done.value("message", "");
    EXPECT_NE(message.find("s3.dcm"), std::string::npos) << done.dump();
    EXPECT_NE(message.find("the decoder crashed on it"), std::string::npos) << done.dump();
    int status = 0;
    EXPECT_EQ(::waitpid(server.pid(), &status, WNOHANG), 0) << "the server exited: " << server.stderrText();
    EXPECT_EQ(c.get("/jobs").status, 200);
}

// A job reads only what was uploaded for it (issue 25, item 2): a MetaImage or NRRD header that points at a file
// elsewhere on the server is refused at submission, without saying whether that file exists or how big it is.
#include "RemoteTestHelpers.h"

using namespace strata;
using namespace strata::remote;
using namespace strata::test;
using nlohmann::json;
namespace fs = std::filesystem;

TEST(RemoteInputChecks, HeadersPointingOutsideTheInputFolderAreRefusedWithoutDetails)
{
    test::TempDir dir;
    test::ServerProcess server(dir / "data");
    ASSERT_TRUE(server.start());
    ApiClient c(endpoint(server, server.adminToken()));
    const fs::path secret = dir / "secret.raw"; // outside the data directory, the size a header would ask for
    test::writeText(secret, std::string(1000, 's'));
    const std::string mha = "ObjectType = Image\nNDims = 3\nDimSize = 10 10 10\nElementType = MET_UCHAR\nElementDataFile = ";
    const std::string nhdr = "NRRD0004\ntype: uchar\ndimension: 3\nsizes: 10 10 10\nencoding: raw\n";
    const std::vector<std::pair<std::string, std::string>> cases{
        {"etc.mha", mha + "/etc/passwd\n"},
        {"secret.mha", mha + secret.string() + "\n"},
        {"up.mhd", mha + "../../../../../../../.." + secret.string() + "\n"},
        {"list.mha", mha + "LIST\n" + secret.string() + "\n"},
        {"secret.nhdr", nhdr + "data file: " + secret.string() + "\n\n"},
        {"secret.nrrd", nhdr + "datafile: ../../../" + secret.filename().string() + "\n\n"},
    };
    for (const auto& [name, header] : cases) {
        test::writeText(dir / name, header);
        const std::string sha = upload(c, dir / name);
        const auto r = c.post("/jobs", {{"pipeline", "knee-mri"}, {"inputs", {{"image", {{"sha256", sha}, {"name", name}}}}}});
        EXPECT_EQ(r.status, 400) << name << ": " << r.body.dump();
        EXPECT_EQ(r.body["error"]["code"], "bad_input") << name;
        EXPECT_EQ(r.body["error"]["input"], "image") << name;
        const std::string message = r.body["error"].value("message", "");
        for (const auto& leak : {std::string("passwd"), secret.string(), std::string("secret.raw"), std::string("1000"),
                                       std::to_string(fs::file_size("/etc/passwd")), (dir / "data").string()}) {
            EXPECT_EQ(message.find(leak), std::string::npos) << name << " leaks '" << leak << "': " << message;
        }
    }
    EXPECT_EQ(c.get("/jobs").body.size(), 0u);
    for (const auto& e : fs::directory_iterator(dir / "data" / "jobs")) ADD_FAILURE() << "left behind: " << e.path();

    // Pixel data in the file itself is fine.
    writeImage(Image({4, 4, 4}, PixelType::UInt8), dir / "local.mha");
    const std::string sha = upload(c, dir / "local.mha");
    const auto r = c.post("/jobs", {{"pipeline", "knee-mri"}, {"inputs", {{"image", {{"sha256", sha}, {"name", "local.mha"}}}}}});
    EXPECT_EQ(r.status, 202) << r.body.dump();
    if (r.status == 202) c.post("/jobs/" + r.body["id"].get<std::string>() + "/cancel", json::object());
}

// Optional inputs (issue 18, part 1): the knee pipeline's labels may be left out; when given they are checked like
// any input (uploaded, owned, a readable image within the limits).
TEST(RemoteJobs, OptionalInputsMayBeLeftOutAndAreCheckedWhenGiven)
{
    test::TempDir dir;
    test::ServerProcess server(dir / "data");
    ASSERT_TRUE(server.start());
    ApiClient c(endpoint(server, server.adminToken()));
    writeImage(Image({4, 4, 4}, PixelType::UInt8), dir / "scan.mha");
    writeImage(Image({4, 4, 4}, PixelType::UInt8), dir / "seg.nii.gz");
    const std::string scan = upload(c, dir / "scan.mha");
    const std::string seg = upload(c, dir / "seg.nii.gz");
    auto r = c.post("/jobs", {{"pipeline", "knee-mri"},
                              {"inputs", {{"image", {{"sha256", scan}, {"name", "scan.mha"}}},
                                          {"labels", {{"sha256", std::string(64, 'a')}, {"name", "seg.nii.gz"}}}}}});
    EXPECT_EQ(r.status, 400) << r.body.dump();
    EXPECT_EQ(r.body["error"]["code"], "unknown_upload");
    EXPECT_EQ(r.body["error"]["input"], "labels");
    r = c.post("/jobs", {{"pipeline", "knee-mri"},
                         {"parameters", {{"label_map", "oai-zib"}}},
                         {"inputs", {{"image", {{"sha256", scan}, {"name", "scan.mha"}}},
                                     {"labels", {{"sha256", seg}, {"name", "seg.nii.gz"}}}}}});
    EXPECT_EQ(r.status, 202) << r.body.dump();
    if (r.status == 202) c.post("/jobs/" + r.body["id"].get<std::string>() + "/cancel", json::object());
    r = c.post("/jobs", {{"pipeline", "knee-mri"}, {"inputs", json::object()}});
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body["error"]["code"], "missing_input");
    EXPECT_EQ(r.body["error"]["input"], "image");
}

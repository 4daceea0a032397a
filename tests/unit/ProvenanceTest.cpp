// results::readProvenance (issue 22): the run facts of a bundle's provenance.json, checked.
#include <strata/Error.h>
#include <strata/results/Provenance.h>

#include <gtest/gtest.h>

#include <fstream>
#include <unistd.h>

using namespace strata;
namespace fs = std::filesystem;

namespace {

fs::path scratch() { return fs::temp_directory_path() / ("strata-provenance-" + std::to_string(::getpid())); }

fs::path bundleWith(const std::string& name, const std::string& provenance)
{
    const fs::path dir = scratch() / name;
    fs::create_directories(dir);
    std::ofstream(dir / "provenance.json") << provenance;
    return dir;
}

} // namespace

TEST(Provenance, ReadsPipelineTimesAndInputs)
{
    const auto p = results::readProvenance(bundleWith(
        "good", R"({"pipeline": "knee-mri", "started_at": "2024-05-01T12:30:00Z", "finished_at": "2024-05-01T12:34:56Z",
                    "inputs": [{"name": "image", "path": "/data/knee.nii.gz", "sha256": "ab"},
                               {"name": "labels", "path": "/data/truth.nii.gz"}], "parameters": {"x": 1}})"));
    EXPECT_EQ(p.pipeline, "knee-mri");
    EXPECT_EQ(p.finishedAt, "2024-05-01T12:34:56Z");
    ASSERT_EQ(p.inputs.size(), 2u);
    EXPECT_EQ(p.firstInputPath(), fs::path("/data/knee.nii.gz"));
    EXPECT_EQ(p.inputs[0].sha256, "ab");
    ASSERT_TRUE(p.input("labels"));
    EXPECT_EQ(p.input("labels")->path, fs::path("/data/truth.nii.gz"));
    EXPECT_FALSE(p.input("mask"));

    const auto empty = results::Provenance::fromJson(nlohmann::json::object());
    EXPECT_TRUE(empty.pipeline.empty() && empty.inputs.empty() && empty.firstInputPath().empty());
    fs::remove_all(scratch());
}

TEST(Provenance, DamagedFilesNameTheFileAndTheField)
{
    const std::pair<std::string, std::string> cases[] = {
        {"inputs-object", R"({"inputs": {"path": "/x"}})"},
        {"input-number", R"({"inputs": [3]})"},
        {"path-number", R"({"inputs": [{"name": "image", "path": 3}]})"},
        {"pipeline-list", R"({"pipeline": ["knee"]})"},
        {"not-object", R"([1, 2])"},
        {"not-json", R"({"pipeline": )"},
    };
    for (const auto& [name, text] : cases) {
        try {
            (void)results::readProvenance(bundleWith(name, text));
            ADD_FAILURE() << name << " was read";
        } catch (const IoError& e) {
            EXPECT_NE(std::string(e.what()).find("provenance.json"), std::string::npos) << name << ": " << e.what();
        }
    }
    EXPECT_THROW((void)results::readProvenance(fs::temp_directory_path() / "strata-no-such-bundle"), IoError);
    fs::remove_all(scratch());
}

// Issue 16, part 4: quality control through the real knee pipeline (network on CPU). The Colin27 T1 brain
// (Debian mricron-data) must come out not_a_knee, a knee phantom at SNR 3 uncertain on its cartilage, a normal
// phantom ok. Cost on two cores: brain ~125 s (181 x 217 x 181 mm at the model's 0.4 x 0.4 x 0.7 mm is 63M
// voxels, ~6 GB peak), each phantom ~15-20 s.
#include "PipelineRun.h"
#include "TestSupport.h"
#include "strata/ImageIO.h"
#include "strata/StandardPipelines.h"
#include "strata/phantom/KneePhantom.h"
#include "strata/pipeline/LocalExecutor.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iostream>

using namespace strata;
using namespace strata::pipeline;
using nlohmann::json;

namespace {

json runKneeQuality(const std::filesystem::path& input, const std::filesystem::path& out, const std::string& name)
{
    const auto result = test::runPipeline("knee-mri", "image", input, out, {{"meshes", false}});
    EXPECT_EQ(result.status, RunStatus::Succeeded) << result.message;
    if (result.status != RunStatus::Succeeded) return json();
    const json metrics = json::parse(std::ifstream(out / "metrics.json"));
    const json& q = metrics["quality"];
    std::cout << name << ": " << q["verdict"].get<std::string>() << ", foreground confidence "
              << q["foreground_confidence"] << "; per structure (confidence / volume mm3 / largest piece):";
    for (const auto& [s, v] : q["structures"].items())
        std::cout << "\n  " << s << ' ' << v["confidence"] << " / " << v["volume_mm3"] << " / "
                  << v.value("largest_component_fraction", json());
    for (const auto& reason : q["reasons"]) std::cout << "\n  - " << reason.get<std::string>();
    std::cout << std::endl;
    return metrics;
}

json phantomRun(const test::TempDir& dir, const std::string& name, std::uint32_t seed, double snr)
{
    phantom::KneePhantomParams p;
    p.seed = seed;
    p.snr = snr;
    writeImage(phantom::generateKneePhantom(p).image, dir / (name + ".nii.gz"));
    return runKneeQuality(dir / (name + ".nii.gz"), dir / (name + "-out"), name);
}

} // namespace

TEST(KneeQualitySlow, NormalPhantomIsOk)
{
    test::TempDir dir;
    const json m = phantomRun(dir, "normal", 161617, 25.0);
    EXPECT_EQ(m["quality"]["verdict"], "ok") << m["quality"].dump(1);
    EXPECT_TRUE(m.contains("thickness_mm"));
}

TEST(KneeQualitySlow, Snr3PhantomIsUncertainOnTheCartilage)
{
    test::TempDir dir;
    const json m = phantomRun(dir, "snr3", 31, 3.0);
    const json& q = m["quality"];
    EXPECT_EQ(q["verdict"], "uncertain") << q.dump(1);
    int cartilageFlagged = 0;
    for (const char* plate : {"femoral_cartilage", "medial_tibial_cartilage", "lateral_tibial_cartilage", "patellar_cartilage"})
        if (!q["structures"][plate]["flags"].empty()) ++cartilageFlagged;
    EXPECT_GE(cartilageFlagged, 2) << q.dump(1);
    EXPECT_TRUE(m.contains("thickness_mm")); // measured, but flagged
}

TEST(KneeQualitySlow, Colin27BrainIsNotAKnee)
{
    const std::filesystem::path brain = "/usr/share/mricron/templates/ch2.nii.gz";
    if (!std::filesystem::exists(brain)) GTEST_SKIP() << brain << " missing: apt-get install mricron-data";
    test::TempDir dir;
    const json m = runKneeQuality(brain, dir / "brain-out", "colin27");
    EXPECT_EQ(m["quality"]["verdict"], "not_a_knee") << m["quality"].dump(1);
    EXPECT_FALSE(m.contains("thickness_mm"));
    EXPECT_FALSE(m.contains("volumes_mm3"));
}

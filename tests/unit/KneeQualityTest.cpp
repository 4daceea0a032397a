// Quality control of knee results (issue 16, part 4): the verdict rules on synthetic measurements (no network),
// the model card's quality section, and the cleanup's component counts it relies on.
#include "TestSupport.h"
#include "strata/Error.h"
#include "strata/ImageIO.h"
#include "strata/ModelLocator.h"
#include "strata/inference/ModelCard.h"
#include "strata/knee/KneeQuality.h"
#include "strata/quant/LabelProximity.h"
#include "strata/quant/Cleanup.h"

#include <gtest/gtest.h>

#include <fstream>

using namespace strata;
using namespace strata::knee;
using nlohmann::json;

namespace {

/// A healthy phantom-like knee: mid-range volumes, confident network, one piece each.
std::vector<StructureQualityInput> goodKnee()
{
    const std::pair<const char*, double> v[] = {
        {"femur", 82000},           {"tibia", 98000},
        {"patella", 11600},         {"femoral_cartilage", 7900},
        {"medial_tibial_cartilage", 1000}, {"lateral_tibial_cartilage", 1040},
        {"patellar_cartilage", 2900}, {"medial_meniscus", 1500},
        {"lateral_meniscus", 1460}};
    std::vector<StructureQualityInput> s;
    for (const auto& [name, volume] : v) {
        StructureQualityInput x;
        x.name = name;
        x.volumeMm3 = volume;
        x.meanConfidence = 0.95;
        x.modelVoxels = static_cast<std::uint64_t>(volume / 0.112);
        x.components = 1;
        x.largestComponentFraction = 1.0;
        s.push_back(x);
    }
    return s;
}

StructureQualityInput& named(std::vector<StructureQualityInput>& s, const std::string& name)
{
    for (auto& x : s)
        if (x.name == name) return x;
    throw std::runtime_error("no " + name);
}

QualityRules cardRules()
{
    return QualityRules::fromCard(json::parse(std::ifstream(findModelDir("knee") / "model.json")));
}

bool anyReasonMentions(const QualityAssessment& a, const std::string& text)
{
    for (const auto& r : a.reasons)
        if (r.find(text) != std::string::npos) return true;
    return false;
}

} // namespace

TEST(KneeQuality, HealthyKneeIsOk)
{
    const auto a = assessKneeQuality(goodKnee(), 0.95, cardRules());
    EXPECT_EQ(a.verdict, "ok");
    EXPECT_TRUE(a.reasons.empty());
    EXPECT_EQ(a.json["verdict"], "ok");
    const auto& fc = a.json["structures"]["femoral_cartilage"];
    EXPECT_DOUBLE_EQ(fc["confidence"].get<double>(), 0.95);
    EXPECT_EQ(fc["range_mm3"].size(), 2u);
    EXPECT_EQ(fc["components"], 1);
    EXPECT_TRUE(fc["flags"].empty());
    EXPECT_EQ(a.json["rules"]["source"], "model card");
}

TEST(KneeQuality, LowCartilageConfidenceIsUncertain)
{
    auto s = goodKnee();
    named(s, "medial_tibial_cartilage").meanConfidence = 0.55;
    const auto a = assessKneeQuality(s, 0.9, cardRules());
    EXPECT_EQ(a.verdict, "uncertain");
    ASSERT_EQ(a.reasons.size(), 1u);
    EXPECT_TRUE(anyReasonMentions(a, "medial tibial cartilage: low network confidence (0.55")) << a.reasons[0];
    EXPECT_EQ(a.json["structures"]["medial_tibial_cartilage"]["flags"][0], "low_confidence");
}

TEST(KneeQuality, VolumeOutsideItsRangeIsUncertain)
{
    auto s = goodKnee();
    named(s, "patellar_cartilage").volumeMm3 = 20000; // > 3 x the largest phantom's
    named(s, "lateral_meniscus").volumeMm3 = 50;
    const auto a = assessKneeQuality(s, 0.95, cardRules());
    EXPECT_EQ(a.verdict, "uncertain");
    EXPECT_EQ(a.reasons.size(), 2u);
    EXPECT_TRUE(anyReasonMentions(a, "patellar cartilage: volume 20000 mm3 is outside"));
    EXPECT_TRUE(anyReasonMentions(a, "lateral meniscus: volume 50 mm3"));
}

TEST(KneeQuality, FragmentedStructureIsUncertain)
{
    auto s = goodKnee();
    named(s, "femoral_cartilage").components = 14;
    named(s, "femoral_cartilage").largestComponentFraction = 0.7;
    const auto a = assessKneeQuality(s, 0.95, cardRules());
    EXPECT_EQ(a.verdict, "uncertain");
    EXPECT_TRUE(anyReasonMentions(a, "femoral cartilage: fragmented (30 % of it outside its largest piece, 14 pieces"));
}

TEST(KneeQuality, CartilageOffItsBoneIsUncertain)
{
    auto s = goodKnee();
    for (auto& x : s)
        if (x.name.find("cartilage") != std::string::npos) x.onBoneFraction = 1.0;
    EXPECT_EQ(assessKneeQuality(s, 0.95, cardRules()).verdict, "ok");
    named(s, "femoral_cartilage").onBoneFraction = 0.7; // e.g. skin labelled as femoral cartilage
    const auto a = assessKneeQuality(s, 0.95, cardRules());
    EXPECT_EQ(a.verdict, "uncertain");
    EXPECT_TRUE(anyReasonMentions(a, "femoral cartilage: 30 % of it lies more than 7 mm from its bone"));
    EXPECT_EQ(a.json["structures"]["femoral_cartilage"]["flags"][0], "off_bone");
}

TEST(KneeQuality, ShareOfCartilageNearItsBoneIsMeasuredInMillimetres)
{
    // A bone slab (label 1) at z 0..3, cartilage (label 4) at z 4..5 on it and a blob of "cartilage" at z 20..21,
    // 1 x 1 x 0.5 mm voxels: the blob lies 8.5 mm and more above the bone.
    Image labels({16, 16, 24}, PixelType::UInt8);
    labels.setSpacing({1.0, 1.0, 0.5});
    auto ids = labels.pixels<std::uint8_t>();
    for (std::size_t k = 0; k < 24; ++k)
        for (std::size_t j = 0; j < 16; ++j)
            for (std::size_t i = 0; i < 16; ++i) {
                const std::size_t n = labels.linearIndex(i, j, k);
                if (k <= 3) ids[n] = 1;
                else if (k <= 5) ids[n] = 4;
                else if (k >= 20 && k <= 21 && i < 8) ids[n] = 4; // 256 voxels off the bone, 512 on it
            }
    EXPECT_NEAR(quant::shareNearLabel(labels, 4, 1, 7.0), 512.0 / 768.0, 1e-12);
    EXPECT_NEAR(quant::shareNearLabel(labels, 4, 1, 9.0), 1.0, 1e-12);  // 17 half-millimetre steps = 8.5 mm
    EXPECT_DOUBLE_EQ(quant::shareNearLabel(labels, 4, 3, 7.0), 0.0);   // no patella at all
    EXPECT_DOUBLE_EQ(quant::shareNearLabel(labels, 5, 1, 7.0), 1.0);   // no such plate
}

TEST(KneeQuality, MissingOrTinyBonesAreNotAKnee)
{
    auto s = goodKnee();
    named(s, "tibia").volumeMm3 = 0;
    named(s, "femur").volumeMm3 = 9000; // above the hard 5 cm3 floor, below the card's range
    const auto a = assessKneeQuality(s, 0.95, cardRules());
    EXPECT_EQ(a.verdict, "not_a_knee");
    EXPECT_TRUE(anyReasonMentions(a, "No tibia was found."));
    EXPECT_TRUE(anyReasonMentions(a, "The femur is implausibly small (9000 mm3"));
    // the out-of-range volumes are kept apart, not mixed into the not_a_knee reasons
    EXPECT_TRUE(a.json.contains("other_findings"));
}

TEST(KneeQuality, ShatteredOrMissingPatellaIsNotAKnee)
{
    // what the network made of the Colin27 brain: plausible femur and tibia volumes, but the tibia in 300 pieces
    // (45 % in the largest) and a 124 mm3 patella
    auto s = goodKnee();
    named(s, "tibia").components = 304;
    named(s, "tibia").largestComponentFraction = 0.45;
    named(s, "patella").volumeMm3 = 124;
    const auto a = assessKneeQuality(s, 0.79, cardRules());
    EXPECT_EQ(a.verdict, "not_a_knee");
    EXPECT_EQ(a.reasons.size(), 2u);
    EXPECT_TRUE(anyReasonMentions(a, "The tibia is in pieces (only 45 %"));
    EXPECT_TRUE(anyReasonMentions(a, "The patella is implausibly small"));
}

TEST(KneeQuality, LowOverallConfidenceIsNotAKnee)
{
    const auto a = assessKneeQuality(goodKnee(), 0.45, cardRules());
    EXPECT_EQ(a.verdict, "not_a_knee");
    EXPECT_TRUE(anyReasonMentions(a, "mean confidence 0.45"));
}

TEST(KneeQuality, NoTibiofemoralCartilageIsNotAKnee)
{
    auto s = goodKnee();
    for (const char* n : {"femoral_cartilage", "medial_tibial_cartilage", "lateral_tibial_cartilage"})
        named(s, n).volumeMm3 = 50;
    EXPECT_EQ(assessKneeQuality(s, 0.95, cardRules()).verdict, "not_a_knee");
}

TEST(KneeQuality, OldCardsGetDefaultsWithoutRanges)
{
    json card = json::parse(std::ifstream(findModelDir("knee") / "model.json"));
    card.erase("quality");
    const auto rules = QualityRules::fromCard(card);
    EXPECT_FALSE(rules.declared);
    EXPECT_TRUE(rules.volumeRangesMm3.empty());
    EXPECT_NO_THROW((void)inference::ModelCard::fromJson(card));
    auto s = goodKnee();
    named(s, "patellar_cartilage").volumeMm3 = 20000; // no range: not checked
    const auto a = assessKneeQuality(s, 0.95, rules);
    EXPECT_EQ(a.verdict, "ok");
    EXPECT_TRUE(a.json["structures"]["patellar_cartilage"]["range_mm3"].is_null());
    // the hard floors still hold without a card section
    named(s, "femur").volumeMm3 = 1000;
    EXPECT_EQ(assessKneeQuality(s, 0.95, rules).verdict, "not_a_knee");
}

TEST(KneeQuality, CommittedCardHasARangeForEveryStructure)
{
    const auto card = inference::ModelCard::load(findModelDir("knee"));
    const auto rules = QualityRules::fromCard(card.raw);
    EXPECT_TRUE(rules.declared);
    for (const auto& l : card.labels.labels()) {
        if (l.id == 0) continue;
        ASSERT_TRUE(rules.volumeRangesMm3.count(l.name)) << l.name;
        EXPECT_LT(rules.volumeRangesMm3.at(l.name).first, rules.volumeRangesMm3.at(l.name).second);
    }
}

TEST(KneeQuality, MalformedQualitySectionIsExplained)
{
    json card = {{"quality", {{"volume_ranges_mm3", {{"femur", {3, 1}}}}}}};
    try {
        (void)QualityRules::fromCard(card);
        FAIL() << "no error";
    } catch (const InvalidArgument& e) {
        EXPECT_NE(std::string(e.what()).find("quality.volume_ranges_mm3.femur"), std::string::npos) << e.what();
    }
    EXPECT_THROW((void)QualityRules::fromCard(json{{"quality", {{"min_structure_confidence", "high"}}}}),
                 InvalidArgument);
}

TEST(KneeQuality, CleanupCountsComponentsBeforeItKeepsTheLargest)
{
    Image img({10, 10, 10}, PixelType::UInt8);
    auto px = img.pixels<std::uint8_t>();
    auto at = [&](int x, int y, int z) -> std::uint8_t& { return px[static_cast<std::size_t>(x + 10 * (y + 10 * z))]; };
    for (int z = 0; z < 3; ++z)
        for (int y = 0; y < 3; ++y)
            for (int x = 0; x < 3; ++x) at(x, y, z) = 4; // 27 voxels
    at(8, 8, 8) = 4;                                       // a speck far away
    at(5, 5, 5) = 2;
    LabelMap labels(std::move(img), LabelTable{});
    const auto counted = quant::countLabelComponents(labels); // the same counts, the labels left as they are
    EXPECT_EQ(labels.image().valueAt(8, 8, 8), 4.0);
    const auto report = quant::cleanupLabels(labels, {});
    ASSERT_TRUE(report.components.count(4));
    EXPECT_EQ(report.components.at(4).components, 2u);
    EXPECT_EQ(report.components.at(4).voxels, 28u);
    EXPECT_EQ(report.components.at(4).largest, 27u);
    EXPECT_NEAR(report.components.at(4).largestFraction(), 27.0 / 28.0, 1e-12);
    EXPECT_EQ(report.components.at(2).components, 1u);
    EXPECT_EQ(report.voxelsRemoved, 1u);
    ASSERT_EQ(counted.size(), report.components.size());
    for (const auto& [id, c] : report.components) {
        EXPECT_EQ(counted.at(id).components, c.components) << id;
        EXPECT_EQ(counted.at(id).voxels, c.voxels) << id;
        EXPECT_EQ(counted.at(id).largest, c.largest) << id;
    }
}

// strata-cli run knee on noise: the verdict and its reasons are the last lines, exit code 4, no tables.
TEST(KneeQuality, CliSaysNotAKneeAndExitsWithFour)
{
    test::TempDir dir;
    writeImage(test::noiseVolume(), dir / "noise.nii.gz");
    const auto [code, out] = test::run(std::string(STRATA_CLI_PATH) + " run knee -q '" + (dir / "noise.nii.gz").string() +
                                       "' --out '" + (dir / "out").string() + "' -p meshes=false");
    EXPECT_EQ(code, 4) << out;
    EXPECT_NE(out.find("Quality: not_a_knee"), std::string::npos) << out;
    EXPECT_NE(out.find("  - "), std::string::npos) << out;
    EXPECT_NE(out.find("withheld"), std::string::npos) << out;
    std::ifstream csv(dir / "out" / "metrics.csv");
    std::string header, row;
    std::getline(csv, header);
    EXPECT_FALSE(std::getline(csv, row)) << "metrics.csv must hold no rows for a scan that is not a knee: " << row;
}

#include "TestSupport.h"
#include "strata/Error.h"
#include "strata/ModelLocator.h"
#include "strata/Sha256.h"
#include "strata/inference/ModelCard.h"

#include <gtest/gtest.h>

using namespace strata;
using strata::inference::ModelCard;
using nlohmann::json;

namespace {
json validCard()
{
    return {{"name", "t"},         {"version", "1"}, {"task", "segmentation3d"}, {"sha256", std::string(64, 'a')},
            {"patch_size", {32, 32, 16}}, {"target_spacing", {0.4, 0.4, 0.7}}, {"output_channels", 3},
            {"labels", {{{"id", 1}, {"name", "bone"}, {"rgba", {1, 2, 3, 255}}}}}};
}
} // namespace

TEST(ModelCard, ParsesFields)
{
    const auto c = ModelCard::fromJson(validCard());
    EXPECT_EQ(c.patchSize[2], 16);
    EXPECT_DOUBLE_EQ(c.targetSpacing[2], 0.7);
    EXPECT_EQ(c.labels.find(1)->name, "bone");
    EXPECT_EQ(c.normalisation.method, "zscore");
}

TEST(ModelCard, CanonicalFrameDefaultsToThePhantomFrame)
{
    const auto old = ModelCard::fromJson(validCard());
    EXPECT_FALSE(old.canonicalFrame.declared);
    EXPECT_EQ(old.canonicalFrame.axes.letters(), "PIR");
    EXPECT_EQ(old.canonicalFrame.side, "right");
    auto j = validCard();
    j["canonical_frame"] = {{"axes", {"L", "P", "S"}}, {"side", "left"}};
    const auto c = ModelCard::fromJson(j);
    EXPECT_TRUE(c.canonicalFrame.declared);
    EXPECT_EQ(c.canonicalFrame.axes.letters(), "LPS");
    EXPECT_EQ(c.canonicalFrame.side, "left");
    j["canonical_frame"] = {{"axes", "pir"}};
    EXPECT_EQ(ModelCard::fromJson(j).canonicalFrame.side, "");
    j["canonical_frame"] = {{"axes", {"P", "P", "R"}}};
    EXPECT_THROW((void)ModelCard::fromJson(j), InvalidArgument);
    j["canonical_frame"] = {{"axes", "PIR"}, {"side", "both"}};
    EXPECT_THROW((void)ModelCard::fromJson(j), InvalidArgument);
    const auto knee = ModelCard::load(findModelDir("knee"));
    EXPECT_TRUE(knee.canonicalFrame.declared);
    EXPECT_EQ(knee.canonicalFrame.axes.letters(), "PIR");
    EXPECT_EQ(knee.canonicalFrame.side, "right");
}

TEST(ModelCard, RejectsBadCardsWithReasons)
{
    auto expectError = [](json j, const std::string& fragment) {
        try {
            (void)ModelCard::fromJson(j);
            ADD_FAILURE() << j.dump();
        } catch (const InvalidArgument& e) {
            EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
        }
    };
    auto j = validCard();
    j.erase("sha256");
    expectError(j, "sha256");
    j = validCard();
    j["sha256"] = "abc";
    expectError(j, "64 hex digits");
    j = validCard();
    j["patch_size"] = {0, 32, 32};
    expectError(j, "patch_size");
    j = validCard();
    j["target_spacing"] = {0.4, -1, 0.7};
    expectError(j, "target_spacing");
}

TEST(ModelCard, ChecksumVerification)
{
    test::TempDir dir;
    test::writeText(dir / "model.pt", "weights");
    auto j = validCard();
    j["sha256"] = Sha256::ofPath(dir / "model.pt");
    test::writeText(dir / "model.json", j.dump());
    const auto card = ModelCard::load(dir.path());
    EXPECT_NO_THROW(card.verifyChecksum(dir.path()));
    test::writeText(dir / "model.pt", "tampered");
    EXPECT_THROW(card.verifyChecksum(dir.path()), IoError);
    std::filesystem::remove(dir / "model.pt");
    EXPECT_THROW(card.verifyChecksum(dir.path()), IoError);
    EXPECT_THROW((void)ModelCard::load(dir / "nowhere"), IoError);
}

TEST(ModelCard, CommittedKneeModelMatchesItsCard)
{
    const auto dir = findModelDir("knee");
    const auto card = ModelCard::load(dir);
    EXPECT_EQ(card.task, "segmentation3d");
    EXPECT_EQ(card.outputChannels, static_cast<int>(card.labels.size()));
    EXPECT_NO_THROW(card.verifyChecksum(dir));
    EXPECT_LT(std::filesystem::file_size(card.modelPath(dir)), 20u << 20);
}

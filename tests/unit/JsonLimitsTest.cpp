#include "strata/Error.h"
#include "strata/JsonLimits.h"

#include <gtest/gtest.h>

#include <sstream>

using namespace strata;
using nlohmann::json;

TEST(JsonLimits, DepthCountsArraysAndObjectsButNotBracketsInStrings)
{
    EXPECT_EQ(jsonNestingDepth("5"), 0u);
    EXPECT_EQ(jsonNestingDepth("{\"a\": [1, {\"b\": []}]}"), 4u);
    EXPECT_EQ(jsonNestingDepth("[\"[[[[\", \"\\\"]]]\"]"), 1u);
    EXPECT_EQ(jsonNestingDepth("[][][]"), 1u);
    EXPECT_EQ(jsonNestingDepth(std::string(1000, '['), 10), 11u); // stops early
}

TEST(JsonLimits, ParseRefusesDeepTextsBeforeParsingThem)
{
    const std::string ok = std::string(64, '[') + std::string(64, ']');
    EXPECT_TRUE(parseJson(ok).is_array());
    const std::string deep = std::string(80000, '[') + std::string(80000, ']');
    EXPECT_THROW((void)parseJson(deep), InvalidArgument);
    EXPECT_THROW((void)parseJson(deep, false), InvalidArgument); // the depth error is thrown either way
    try {
        (void)parseJson(std::string(65, '{'));
        FAIL();
    } catch (const InvalidArgument& e) {
        EXPECT_NE(std::string(e.what()).find("deeper than 64"), std::string::npos);
    }
    std::istringstream in("{\"a\": [1, 2]}");
    EXPECT_EQ(parseJson(in)["a"][1], 2);
}

TEST(JsonLimits, SyntaxErrorsThrowOrGiveDiscardedLikeNlohmann)
{
    EXPECT_THROW((void)parseJson("{\"a\": "), json::parse_error);
    EXPECT_TRUE(parseJson("{\"a\": ", false).is_discarded());
}

TEST(JsonLimits, PreviewIsShortAndNeverPrintsContainers)
{
    EXPECT_EQ(jsonPreview(json(5)), "5");
    EXPECT_EQ(jsonPreview(json(true)), "true");
    EXPECT_EQ(jsonPreview(json::array({1, 2, 3})), "an array of 3 elements");
    EXPECT_EQ(jsonPreview(json::array({1})), "an array of 1 element");
    EXPECT_EQ(jsonPreview(json{{"a", 1}, {"b", 2}}), "an object with 2 keys");
    EXPECT_EQ(jsonPreview(json("abc")), "\"abc\"");
    const std::string preview = jsonPreview(json(std::string(100000, 'x')), 40);
    EXPECT_LT(preview.size(), 80u);
    EXPECT_NE(preview.find("100000 characters"), std::string::npos);
}

TEST(JsonLimits, DumpReplacesInvalidUtf8InsteadOfThrowing)
{
    const json j{{"path", std::string("/jobs/\xc0\xae")}};
    EXPECT_THROW((void)j.dump(), json::type_error);
    EXPECT_NE(dumpJson(j).find("\xef\xbf\xbd"), std::string::npos);
}

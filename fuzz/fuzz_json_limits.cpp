// JSON with bounded nesting (core/src/base/JsonLimits.cpp): parseJson on text and streams, readJsonFile,
// jsonNestingDepth, jsonPreview, dumpJson.
// Contract: a text nested deeper than kMaxJsonDepth is refused with InvalidArgument before nlohmann parses it; a
// syntax error is json::parse_error (or a discarded value); readJsonFile throws IoError only; whatever parses is
// nested at most kMaxJsonDepth deep; previews are short and dumps never throw. Note: with exceptions allowed,
// nlohmann reports a number out of double's range (1e999) as out_of_range (406), not parse_error: callers must
// catch json::exception (ModelCard::load caught parse_error only, found here).
#include "FuzzSupport.h"
#include "strata/Error.h"
#include "strata/JsonLimits.h"

#include <sstream>
#include <vector>

using nlohmann::json;

namespace {

/// Nesting depth of a parsed value, without recursion (a scalar is 0, [] is 1).
std::size_t depthOf(const json& root)
{
    std::size_t deepest = 0;
    std::vector<std::pair<const json*, std::size_t>> todo{{&root, 0}};
    while (!todo.empty()) {
        const auto [v, d] = todo.back();
        todo.pop_back();
        if (!v->is_structured()) continue;
        deepest = std::max(deepest, d + 1);
        for (const auto& child : *v) todo.emplace_back(&child, d + 1);
    }
    return deepest;
}

void checkValue(const json& j)
{
    FUZZ_CHECK(depthOf(j) <= strata::kMaxJsonDepth, "a value deeper than the limit was parsed");
    FUZZ_CHECK(strata::jsonPreview(j).size() <= 40 * 6 + 40, "a preview longer than its bound");
    (void)strata::dumpJson(j);
    if (j.is_object()) {
        for (const auto& [key, value] : j.items()) (void)strata::jsonPreview(value, 8);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text = strata::fuzz::asText(data, size);
    const std::size_t depth = strata::jsonNestingDepth(text);
    FUZZ_CHECK(depth <= strata::kMaxJsonDepth + 1, "jsonNestingDepth passed its limit");
    FUZZ_CHECK(strata::jsonNestingDepth(text, 3) <= 4, "jsonNestingDepth passed a small limit");

    bool refusedForDepth = false;
    try {
        const json j = strata::parseJson(text, false);
        if (!j.is_discarded()) checkValue(j);
    } catch (const strata::InvalidArgument&) {
        refusedForDepth = true;
    }
    FUZZ_CHECK(refusedForDepth == (depth > strata::kMaxJsonDepth), "refused for depth iff nested too deep");

    try {
        checkValue(strata::parseJson(text, true, 8));
    } catch (const json::exception&) {
    } catch (const strata::InvalidArgument&) {
    }

    std::istringstream in{std::string(text)};
    try {
        checkValue(strata::parseJson(in));
    } catch (const json::exception&) {
    } catch (const strata::InvalidArgument&) {
    }

    if (size % 4 == 0) { // the file path is slower: every fourth input
        try {
            checkValue(strata::readJsonFile(strata::fuzz::writeScratch("input.json", text)));
        } catch (const strata::IoError&) {
        }
    }
    return 0;
}

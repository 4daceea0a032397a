#include "strata/JsonLimits.h"

#include "strata/Error.h"

#include <fstream>
#include <iterator>

namespace strata {

using nlohmann::json;

std::size_t jsonNestingDepth(std::string_view text, std::size_t limit)
{
    std::size_t depth = 0, deepest = 0;
    bool inString = false, escaped = false;
    for (const char c : text) {
        if (inString) {
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                inString = false;
            }
            continue;
        }
        switch (c) {
        case '"':
            inString = true;
            break;
        case '[':
        case '{':
            if (++depth > deepest) {
                deepest = depth;
                if (deepest > limit) return limit + 1;
            }
            break;
        case ']':
        case '}':
            if (depth > 0) --depth;
            break;
        default:
            break;
        }
    }
    return deepest;
}

json parseJson(std::string_view text, bool allowExceptions, std::size_t maxDepth)
{
    if (jsonNestingDepth(text, maxDepth) > maxDepth) {
        throw InvalidArgument("The JSON text is nested deeper than " + std::to_string(maxDepth) +
                              " levels of arrays and objects.");
    }
    return json::parse(text.begin(), text.end(), nullptr, allowExceptions);
}

json parseJson(std::istream& in, bool allowExceptions, std::size_t maxDepth)
{
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    return parseJson(std::string_view(text), allowExceptions, maxDepth);
}

json readJsonFile(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) throw IoError("Cannot read '" + path.string() + "': no such file, or not readable.");
    try {
        return parseJson(in, true);
    } catch (const json::exception& e) {
        throw IoError("'" + path.string() + "' is not valid JSON: " + e.what());
    } catch (const InvalidArgument& e) {
        throw IoError("'" + path.string() + "' is refused: " + e.what());
    }
}

std::string jsonPreview(const json& value, std::size_t maxChars)
{
    auto plural = [](std::size_t n, const char* one, const char* many) {
        return std::to_string(n) + " " + (n == 1 ? one : many);
    };
    switch (value.type()) {
    case json::value_t::array:
        return "an array of " + plural(value.size(), "element", "elements");
    case json::value_t::object:
        return "an object with " + plural(value.size(), "key", "keys");
    case json::value_t::string: {
        const auto& s = value.get_ref<const std::string&>();
        if (s.size() <= maxChars) return dumpJson(s);
        return dumpJson(s.substr(0, maxChars)) + "... (" + std::to_string(s.size()) + " characters)";
    }
    case json::value_t::binary:
        return "binary data";
    case json::value_t::discarded:
        return "an invalid value";
    default:
        return value.dump(); // null, booleans and numbers are short
    }
}

std::string dumpJson(const json& value, int indent)
{
    return value.dump(indent, ' ', false, json::error_handler_t::replace);
}

} // namespace strata

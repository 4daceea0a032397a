#pragma once

// JSON from outside the process (request bodies, server answers, model cards, result files) is parsed with its
// nesting bounded, and user values are described in messages by a short preview, never dumped whole: printing or
// copying a value nested 80,000 levels deep recurses once per level and overflows the stack.
#include <nlohmann/json.hpp>

#include <cstddef>
#include <filesystem>
#include <istream>
#include <string>
#include <string_view>

namespace strata {

/// Deepest nesting of arrays and objects that Strata accepts in any JSON text.
inline constexpr std::size_t kMaxJsonDepth = 64;

/// Nesting depth of the arrays and objects in a JSON text (brackets inside strings do not count). Stops scanning
/// once `limit` is exceeded and then returns limit + 1. Linear, no allocation; the text need not be valid JSON.
[[nodiscard]] std::size_t jsonNestingDepth(std::string_view text, std::size_t limit = kMaxJsonDepth);

/// nlohmann::json::parse with the nesting bounded: a text nested deeper than maxDepth throws InvalidArgument
/// ("... nested deeper than 64 levels") before it is parsed. With allowExceptions = false a syntax error gives a
/// discarded value, as json::parse(text, nullptr, false) does; the depth error is thrown either way.
[[nodiscard]] nlohmann::json parseJson(std::string_view text, bool allowExceptions = true,
                                       std::size_t maxDepth = kMaxJsonDepth);

/// The same for a whole stream (read to its end first).
[[nodiscard]] nlohmann::json parseJson(std::istream& in, bool allowExceptions = true,
                                       std::size_t maxDepth = kMaxJsonDepth);

/// Reads a JSON file with the same bound. Throws IoError naming the file when it is missing, unreadable, not valid
/// JSON or nested too deep.
[[nodiscard]] nlohmann::json readJsonFile(const std::filesystem::path& path);

/// A short description of a value for error messages, safe for any value: "5", "true", the string truncated to
/// maxChars with an ellipsis, "an array of 3 elements", "an object with 2 keys". Never recursive.
[[nodiscard]] std::string jsonPreview(const nlohmann::json& value, std::size_t maxChars = 40);

/// Dumps JSON for an answer or a file: invalid UTF-8 in strings is replaced (U+FFFD) instead of throwing.
[[nodiscard]] std::string dumpJson(const nlohmann::json& value, int indent = -1);

} // namespace strata

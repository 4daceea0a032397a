#pragma once

#include <string>

namespace strata::ocr {

/// Character error rate: Levenshtein distance between the UTF-8 code points of truth and hypothesis,
/// divided by the length of truth. Runs of white space (spaces, newlines) count as one space and leading/
/// trailing white space is ignored, so layout differences do not count as errors.
[[nodiscard]] double characterErrorRate(const std::string& truth, const std::string& hypothesis);

} // namespace strata::ocr

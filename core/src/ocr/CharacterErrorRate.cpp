#include "strata/ocr/CharacterErrorRate.h"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace strata::ocr {

namespace {

/// UTF-8 to code points, white space runs folded to one space, trimmed.
std::vector<std::uint32_t> normalised(const std::string& s)
{
    std::vector<std::uint32_t> out;
    bool pendingSpace = false;
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::uint32_t cp = c;
        int extra = 0;
        if (c >= 0xF0) cp = c & 0x07, extra = 3;
        else if (c >= 0xE0) cp = c & 0x0F, extra = 2;
        else if (c >= 0xC0) cp = c & 0x1F, extra = 1;
        ++i;
        for (int k = 0; k < extra && i < s.size(); ++k, ++i) {
            cp = (cp << 6) | (static_cast<unsigned char>(s[i]) & 0x3F);
        }
        if (cp == ' ' || cp == '\n' || cp == '\t' || cp == '\r' || cp == '\f') {
            pendingSpace = !out.empty();
            continue;
        }
        if (pendingSpace) {
            out.push_back(' ');
            pendingSpace = false;
        }
        out.push_back(cp);
    }
    return out;
}

} // namespace

double characterErrorRate(const std::string& truth, const std::string& hypothesis)
{
    const auto a = normalised(truth), b = normalised(hypothesis);
    if (a.empty()) {
        return b.empty() ? 0.0 : 1.0;
    }
    std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) {
        prev[j] = j;
    }
    for (std::size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
        }
        std::swap(prev, cur);
    }
    return static_cast<double>(prev[b.size()]) / static_cast<double>(a.size());
}

} // namespace strata::ocr

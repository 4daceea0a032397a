#pragma once

#include "strata/ocr/OcrWord.h"

#include <string>
#include <vector>

namespace strata::ocr {

/// One text line with its words (reading order).
struct OcrLine {
    std::string text;
    PixelBox box;
    float confidence{0};
    std::vector<OcrWord> words;
};

} // namespace strata::ocr

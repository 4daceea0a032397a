#pragma once

#include "strata/ocr/PixelBox.h"

#include <string>

namespace strata::ocr {

/// One recognised word: UTF-8 text, its box on the page and the engine's confidence (0..100).
struct OcrWord {
    std::string text;
    PixelBox box;
    float confidence{0};
};

} // namespace strata::ocr

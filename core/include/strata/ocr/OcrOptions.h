#pragma once

#include <cstdint>
#include <string>

namespace strata::ocr {

/// How pages are cleaned up and recognised.
struct OcrOptions {
    std::string language{"eng"};  ///< Tesseract language(s), e.g. "eng" or "eng+deu"
    int pageSegMode{3};           ///< Tesseract --psm (3 = automatic page segmentation, 6 = one block, ...)
    std::string tessdataDir;      ///< empty: Tesseract's default (TESSDATA_PREFIX or the system folder)
    bool deskew{true};            ///< estimate and remove a small rotation (up to ~15 degrees)
    std::string binarise{"none"}; ///< "none" (Tesseract's own Otsu), "otsu" or "adaptive" (uneven lighting)
    int dpi{300};                 ///< resolution hint for pages without one
    std::uint64_t maxPixels{100'000'000}; ///< larger pages are refused before they are decoded
    int pageTimeoutMs{0};         ///< give up on one page after this long (0 = no limit)
};

} // namespace strata::ocr

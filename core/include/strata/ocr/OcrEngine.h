#pragma once

#include "strata/Image.h"
#include "strata/ocr/OcrOptions.h"
#include "strata/ocr/OcrPage.h"

#include <memory>
#include <stop_token>
#include <string>

namespace strata::ocr {

/// One Tesseract engine, initialised once and reused for many pages (Init costs far more than a small page).
/// Not thread-safe: use one engine per thread (OcrBatch does). No Tesseract type appears here.
class OcrEngine {
public:
    /// Loads the language data. Throws Error naming the language and where it looked when it is missing.
    explicit OcrEngine(const OcrOptions& options);
    ~OcrEngine();
    OcrEngine(const OcrEngine&) = delete;
    OcrEngine& operator=(const OcrEngine&) = delete;

    /// Recognises one grey (1 component) or colour (3/4 components) 8-bit 2D image: clean-up (deskew,
    /// binarisation) as the options say, then Tesseract. Boxes refer to the image as given.
    /// Throws InvalidArgument for empty or unsupported images, Cancelled when stop is requested
    /// (Tesseract checks it while it works, so a cancel lands within a fraction of a second).
    [[nodiscard]] OcrPage recognise(const Image& page, std::stop_token stop = {});

    [[nodiscard]] const OcrOptions& options() const;
    /// "tesseract 5.3.0 (eng, psm 3)".
    [[nodiscard]] std::string description() const;
    [[nodiscard]] static std::string describe(const OcrOptions& options);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace strata::ocr

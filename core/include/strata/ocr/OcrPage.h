#pragma once

#include "strata/ocr/OcrLine.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace strata::ocr {

/// The OCR result of one page. Boxes are in pixels of the page image as read (before deskewing).
struct OcrPage {
    int index{0};          ///< position in the batch (0-based)
    std::string source;    ///< file name, plus "#page" for multi-page files
    int width{0};
    int height{0};
    std::string text;      ///< whole page, lines separated by '\n', blocks by an empty line
    float meanConfidence{0};
    double deskewDegrees{0}; ///< rotation removed before recognition
    double seconds{0};
    std::vector<OcrLine> lines;
    std::string error;     ///< set when the page could not be read or recognised (then nothing else is)

    [[nodiscard]] std::size_t wordCount() const;
    [[nodiscard]] nlohmann::json toJson() const;
    /// The page toJson wrote, checked (a source; then an error, or sizes and lines of words whose boxes have four
    /// numbers); throws InvalidArgument with a short reason otherwise.
    [[nodiscard]] static OcrPage fromJson(const nlohmann::json& j);
};

/// The pages of an OCR bundle's ocr.json, in order. Throws IoError naming the file and the page for a damaged one.
[[nodiscard]] std::vector<OcrPage> readOcrPages(const std::filesystem::path& bundleDir);

} // namespace strata::ocr

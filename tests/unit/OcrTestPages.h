#pragma once

#include <filesystem>
#include <string>

namespace strata::test {

/// Renders `text` with Tesseract's text2image (exact ground truth, real fonts) into outBase + ".tif".
/// Returns false when text2image is missing (package tesseract-ocr), so the caller can skip.
bool renderTextPage(const std::string& text, const std::string& font, const std::filesystem::path& outBase,
                    int width = 1600, int height = 700);

/// Gaussian noise (sigma in grey levels), Gaussian blur (sigma in pixels) and a rotation (degrees,
/// counter-clockwise) applied to a grey page image, written as PNG. Seeded: the same inputs give the same file.
void degradePage(const std::filesystem::path& in, const std::filesystem::path& out, double noiseSigma,
                 double blurSigma, double rotateDegrees, unsigned seed);

/// Pangrams and sentences with digits and punctuation: a few lines of ground-truth text.
std::string sampleText(int variant);

} // namespace strata::test

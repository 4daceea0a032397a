#pragma once

#include <filesystem>
#include <string>
#include <vector>

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

/// Writes a PDF (A4, Helvetica 12 pt, one text line per '\n') with one page per entry of `pages`: real vector
/// text that a PDF reader renders, for the PDF input of the OCR pipeline.
void writeTextPdf(const std::filesystem::path& file, const std::vector<std::string>& pages);

} // namespace strata::test

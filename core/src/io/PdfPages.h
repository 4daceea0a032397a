#pragma once

#include <opencv2/core/mat.hpp>

#include <cstdint>
#include <filesystem>

namespace strata::io {

/// Pages of a PDF document as images (poppler-cpp), for batch pipelines such as OCR.
class PdfPages {
public:
    /// Pages are rendered at this resolution: the usual scan resolution for OCR (A4 → 2480 × 3508 pixels).
    static constexpr double kRenderDpi = 300.0;

    /// Number of pages. Throws IoError for a file that is not a readable PDF or is password-protected.
    static int count(const std::filesystem::path& file);
    /// Renders one page (0-based) as 8-bit grey at kRenderDpi. Refuses pages over maxPixels from the page size,
    /// before rendering (InvalidArgument); IoError when the page cannot be rendered.
    static cv::Mat renderGrey(const std::filesystem::path& file, int page, std::uint64_t maxPixels);
};

} // namespace strata::io

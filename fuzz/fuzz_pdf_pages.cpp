// PDF pages (issue 23): an OCR job's input may be a PDF from a client; its pages are counted and rendered with
// poppler-cpp (io/PdfPages.cpp) in the job, which on strata-server runs in the serving process. Seeds: the PDFs
// OcrPipelineTest and OcrTestPages write (STRATA_FUZZ_SEEDS=DIR). poppler is Debian's, not instrumented: coverage
// guides through Strata's wrapper only; ASan's allocation limits and -timeout watch poppler's allocations and time.
// Pages are rendered up to 1.5 megapixels (A4 at 300 dpi is refused by size, before rendering, as max_megapixels
// does; the fuzzer finds smaller pages).
// Contract: only IoError or InvalidArgument; a rendered page is 8-bit grey with the size its box announced.
#include "FuzzSupport.h"

#include "io/PdfPages.h"
#include "strata/Error.h"

#include <opencv2/core.hpp>

#include <algorithm>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const auto path = strata::fuzz::writeScratch("doc.pdf", strata::fuzz::asText(data, size));
    try {
        const int pages = strata::io::PdfPages::count(path);
        FUZZ_CHECK(pages > 0, "count() returned no pages without refusing");
        for (int page = 0; page < std::min(pages, 2); ++page) {
            try {
                const cv::Mat grey = strata::io::PdfPages::renderGrey(path, page, 1'500'000);
                FUZZ_CHECK(grey.type() == CV_8UC1 && !grey.empty(), "a rendered page is not 8-bit grey");
                FUZZ_CHECK(static_cast<double>(grey.total()) <= 1'500'000.0, "a page over the pixel limit was rendered");
            } catch (const strata::IoError&) {
            } catch (const strata::InvalidArgument&) {
            }
        }
    } catch (const strata::IoError&) {
    }
    return 0;
}

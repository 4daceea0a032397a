#include "io/PdfPages.h"

#include "strata/Error.h"

#include <opencv2/core.hpp>
#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-image.h>
#include <poppler/cpp/poppler-page-renderer.h>
#include <poppler/cpp/poppler-page.h>

#include <cmath>
#include <memory>
#include <mutex>
#include <string>

namespace strata::io {

namespace {

// Poppler keeps global state (font cache, error callback); documents are opened and rendered one at a time.
std::mutex& popplerMutex()
{
    static std::mutex m;
    return m;
}

void quietPoppler()
{
    // Poppler prints every syntax error of a damaged file to stderr; Strata reports its own clear error instead.
    static std::once_flag once;
    std::call_once(once, [] { poppler::set_debug_error_function([](const std::string&, void*) {}, nullptr); });
}

std::unique_ptr<poppler::document> open(const std::filesystem::path& file)
{
    quietPoppler();
    std::unique_ptr<poppler::document> doc(poppler::document::load_from_file(file.string()));
    const std::string where = "'" + file.filename().string() + "'";
    if (!doc) {
        throw IoError("Cannot read " + where + ": not a readable PDF (corrupt, truncated or another format).");
    }
    if (doc->is_locked()) {
        throw IoError("Cannot read " + where + ": the PDF is password-protected.");
    }
    if (doc->pages() <= 0) {
        throw IoError("Cannot read " + where + ": the PDF has no pages.");
    }
    return doc;
}

} // namespace

int PdfPages::count(const std::filesystem::path& file)
{
    std::lock_guard lock(popplerMutex());
    return open(file)->pages();
}

cv::Mat PdfPages::renderGrey(const std::filesystem::path& file, int page, std::uint64_t maxPixels)
{
    std::lock_guard lock(popplerMutex());
    const auto doc = open(file);
    const std::string where = "'" + file.filename().string() + "#" + std::to_string(page + 1) + "'";
    if (page < 0 || page >= doc->pages()) {
        throw IoError("Cannot read " + where + ": the PDF has " + std::to_string(doc->pages()) + " pages.");
    }
    std::unique_ptr<poppler::page> p(doc->create_page(page));
    if (!p) {
        throw IoError("Cannot read " + where + ": the page is damaged.");
    }
    const poppler::rectf box = p->page_rect(); // points, 1/72 inch
    const double w = std::ceil(box.width() * kRenderDpi / 72.0), h = std::ceil(box.height() * kRenderDpi / 72.0);
    if (!(w >= 1 && h >= 1)) {
        throw IoError("Cannot read " + where + ": the page has no area.");
    }
    if (w * h > static_cast<double>(maxPixels)) {
        throw InvalidArgument("Page " + where + " is " + std::to_string(static_cast<long long>(w)) + " x " +
                              std::to_string(static_cast<long long>(h)) + " pixels at " +
                              std::to_string(static_cast<int>(kRenderDpi)) + " dpi, more than the limit of " +
                              std::to_string(maxPixels / 1'000'000) + " megapixels (max_megapixels).");
    }
    poppler::page_renderer renderer;
    renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
    renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
    renderer.set_image_format(poppler::image::format_gray8);
    const poppler::image img = renderer.render_page(p.get(), kRenderDpi, kRenderDpi);
    if (!img.is_valid() || img.width() <= 0 || img.height() <= 0) {
        throw IoError("Cannot read " + where + ": the page could not be rendered.");
    }
    const cv::Mat view(img.height(), img.width(), CV_8UC1, const_cast<char*>(img.const_data()),
                       static_cast<std::size_t>(img.bytes_per_row()));
    return view.clone(); // the poppler image owns its pixels
}

} // namespace strata::io

#pragma once

#include "strata/Image.h"
#include "strata/Progress.h"
#include "strata/ocr/OcrOptions.h"
#include "strata/ocr/OcrPage.h"
#include "strata/ImageSource.h"

#include <functional>
#include <stop_token>
#include <vector>

namespace strata::ocr {

/// Recognises many pages in parallel: a pool of worker threads, each with its own OcrEngine initialised
/// once and reused for all its pages; pages are read by the workers (memory stays flat for big batches).
class OcrBatch {
public:
    /// Called on the thread that called run(), as each page finishes (completion order: streaming).
    using PageFn = std::function<void(const OcrPage& page, int done, int total)>;

    /// Called on the worker thread that recognised a page, with the page image as read and its result (index and
    /// source set): side outputs such as pictures of the page are made there, in parallel, from pixels already in
    /// memory. An Error it throws fails the page like an unreadable one.
    using PageImageFn = std::function<void(const Image& image, const OcrPage& page)>;

    /// workers 0 = one per core. stopOnError: the first page that fails ends the run with its error
    /// (IoError/InvalidArgument); otherwise failed pages come back with OcrPage::error set.
    OcrBatch(OcrOptions options, int workers, bool stopOnError = true);

    /// Blocks until every page is done. Returns the pages in input order. Throws Cancelled when stop is
    /// requested (within about a second), Error when an engine cannot start.
    [[nodiscard]] std::vector<OcrPage> run(const std::vector<ImageRef>& pages, const PageFn& onPage,
                                           std::stop_token stop);

    [[nodiscard]] int workers() const { return workers_; }
    void setPageImageHook(PageImageFn fn) { pageImageHook_ = std::move(fn); }

private:
    OcrOptions options_;
    PageImageFn pageImageHook_;
    int workers_;
    bool stopOnError_;
};

} // namespace strata::ocr

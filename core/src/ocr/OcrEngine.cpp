#include "strata/ocr/OcrEngine.h"

#include "ocr/OpenMpSerial.h"
#include "ocr/PagePreparation.h"
#include "strata/Error.h"
#include "strata/Progress.h"

#include <tesseract/baseapi.h>
#include <tesseract/ocrclass.h>
#include <tesseract/resultiterator.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>

namespace strata::ocr {

namespace {

/// Tesseract hands out new[]-allocated strings.
std::string takeText(char* text)
{
    std::unique_ptr<char[]> owned(text);
    std::string s = owned ? owned.get() : "";
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) {
        s.pop_back();
    }
    return s;
}

bool cancelRequested(void* stopToken, int /*words*/)
{
    return static_cast<const std::stop_token*>(stopToken)->stop_requested();
}

/// Maps a box found on the deskewed page back onto the page as given (the rotation is about the centre).
PixelBox unrotate(const PixelBox& b, double degrees, int width, int height)
{
    if (degrees == 0.0) {
        return b;
    }
    const double a = -degrees * M_PI / 180.0, c = std::cos(a), s = std::sin(a);
    const double cx = 0.5 * (width - 1), cy = 0.5 * (height - 1);
    double x0 = 1e18, y0 = 1e18, x1 = -1e18, y1 = -1e18;
    const double xs[2]{double(b.x), double(b.x + b.width)}, ys[2]{double(b.y), double(b.y + b.height)};
    for (double x : xs) {
        for (double y : ys) {
            // OpenCV's rotation matrix for +angle turns the image counter-clockwise (y down); invert it.
            const double dx = x - cx, dy = y - cy;
            const double rx = c * dx + s * dy + cx, ry = -s * dx + c * dy + cy;
            x0 = std::min(x0, rx), y0 = std::min(y0, ry), x1 = std::max(x1, rx), y1 = std::max(y1, ry);
        }
    }
    const int ix = std::max(0, static_cast<int>(std::floor(x0))), iy = std::max(0, static_cast<int>(std::floor(y0)));
    const int ix1 = std::min(width, static_cast<int>(std::ceil(x1))), iy1 = std::min(height, static_cast<int>(std::ceil(y1)));
    return {ix, iy, std::max(0, ix1 - ix), std::max(0, iy1 - iy)};
}

/// A box Tesseract found in `area`, in pixels of the whole (prepared) page.
PixelBox boxAt(const tesseract::ResultIterator& it, tesseract::PageIteratorLevel level, const cv::Rect& area)
{
    int l = 0, t = 0, r = 0, b = 0;
    it.BoundingBox(level, &l, &t, &r, &b);
    return {l + area.x, t + area.y, r - l, b - t};
}

} // namespace

struct OcrEngine::Impl {
    OcrOptions options;
    tesseract::TessBaseAPI api;
};

OcrEngine::OcrEngine(const OcrOptions& options) : impl_(std::make_unique<Impl>())
{
    impl_->options = options;
    if (options.pageSegMode < 1 || options.pageSegMode > 13 || options.pageSegMode == 2) {
        throw InvalidArgument("Page segmentation mode " + std::to_string(options.pageSegMode) +
                              " is not supported (use 1 or 3..13, as tesseract --psm).");
    }
    // Tesseract's LSTM uses OpenMP; with one engine per worker thread those extra threads only compete.
    makeOpenMpSerialOnThisThread();
    const char* dataDir = options.tessdataDir.empty() ? nullptr : options.tessdataDir.c_str();
    if (impl_->api.Init(dataDir, options.language.c_str(), tesseract::OEM_DEFAULT) != 0) {
        throw Error("Cannot start Tesseract for language '" + options.language + "': its .traineddata was not found in " +
                    (dataDir ? "'" + options.tessdataDir + "'" : std::string("the default tessdata folder")) +
                    " (install tesseract-ocr-" + options.language.substr(0, 3) + " or set TESSDATA_PREFIX).");
    }
    impl_->api.SetPageSegMode(static_cast<tesseract::PageSegMode>(options.pageSegMode));
    impl_->api.SetVariable("debug_file", "/dev/null"); // no "Estimating resolution" chatter on stderr
    // The fixed-pitch test (a dynamic programme over every text row, a quarter of the layout analysis) only
    // steers the legacy engine's character chopping; the LSTM models (the only ones Debian ships) find words
    // and spaces themselves. Same text on proportional and monospaced pages (OcrEngine tests).
    impl_->api.SetVariable("textord_disable_pitch_test", "1");
}

OcrEngine::~OcrEngine()
{
    impl_->api.End();
}

const OcrOptions& OcrEngine::options() const
{
    return impl_->options;
}

std::string OcrEngine::description() const
{
    return describe(impl_->options);
}

std::string OcrEngine::describe(const OcrOptions& options)
{
    return std::string("tesseract ") + tesseract::TessBaseAPI::Version() + " (" + options.language + ", psm " +
           std::to_string(options.pageSegMode) + ")";
}

OcrPage OcrEngine::recognise(const Image& page, std::stop_token stop)
{
    const auto t0 = std::chrono::steady_clock::now();
    if (page.empty()) {
        throw InvalidArgument("The page image is empty.");
    }
    if (!page.is2D()) {
        throw InvalidArgument("OCR needs a 2D page image, not a volume of " + std::to_string(page.size()[2]) + " slices.");
    }
    throwIfStopped(stop);
    const auto& o = impl_->options;
    const PreparedPage prepared = preparePage(page, o.deskew, o.binarise);
    const int w = prepared.grey.cols, h = prepared.grey.rows;
    throwIfStopped(stop); // layout analysis below cannot be interrupted; word recognition can

    // Only the text area goes to Tesseract: its thresholding and layout analysis cost grows with the pixels,
    // and blank margins hold nothing to find. Boxes are moved back by the area's corner.
    const cv::Rect& area = prepared.textArea;
    auto& api = impl_->api;
    api.SetImage(prepared.grey.ptr<unsigned char>(area.y, area.x), area.width, area.height, 1,
                 static_cast<int>(prepared.grey.step));
    api.SetSourceResolution(o.dpi);
    tesseract::ETEXT_DESC monitor;
    monitor.cancel = &cancelRequested;
    monitor.cancel_this = &stop;
    if (o.pageTimeoutMs > 0) {
        monitor.set_deadline_msecs(o.pageTimeoutMs);
    }
    const int rc = api.Recognize(&monitor);
    if (stop.stop_requested()) {
        api.Clear();
        throw Cancelled();
    }
    if (o.pageTimeoutMs > 0 && monitor.deadline_exceeded()) {
        api.Clear();
        throw Error("OCR gave up on the page after " + std::to_string(o.pageTimeoutMs) + " ms (page_timeout).");
    }
    if (rc != 0) {
        api.Clear();
        throw Error("Tesseract could not recognise the page (error " + std::to_string(rc) + ").");
    }

    OcrPage out;
    out.width = static_cast<int>(page.size()[0]);
    out.height = static_cast<int>(page.size()[1]);
    out.deskewDegrees = prepared.deskewDegrees;
    out.text = takeText(api.GetUTF8Text());
    out.meanConfidence = static_cast<float>(api.MeanTextConf());
    std::unique_ptr<tesseract::ResultIterator> it(api.GetIterator());
    if (it) {
        do {
            if (it->Empty(tesseract::RIL_WORD)) {
                continue;
            }
            if (out.lines.empty() || it->IsAtBeginningOf(tesseract::RIL_TEXTLINE)) {
                OcrLine line;
                line.text = takeText(it->GetUTF8Text(tesseract::RIL_TEXTLINE));
                line.box = unrotate(boxAt(*it, tesseract::RIL_TEXTLINE, area), prepared.deskewDegrees, w, h);
                line.confidence = it->Confidence(tesseract::RIL_TEXTLINE);
                out.lines.push_back(std::move(line));
            }
            OcrWord word;
            word.text = takeText(it->GetUTF8Text(tesseract::RIL_WORD));
            word.box = unrotate(boxAt(*it, tesseract::RIL_WORD, area), prepared.deskewDegrees, w, h);
            word.confidence = it->Confidence(tesseract::RIL_WORD);
            out.lines.back().words.push_back(std::move(word));
        } while (it->Next(tesseract::RIL_WORD));
    }
    api.Clear();
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return out;
}

} // namespace strata::ocr

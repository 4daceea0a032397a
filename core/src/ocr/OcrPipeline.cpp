#include "strata/ocr/OcrPipeline.h"

#include "ocr/OcrStages.h"

namespace strata::ocr {

namespace {

const char* kManifest = R"json({
  "id": "ocr",
  "title": "Document OCR",
  "description": "Recognises printed text in page images with Tesseract (one engine per core, reused across pages) after OpenCV clean-up (deskew, optional binarisation). Gives the text per page and every line and word with its box and confidence.",
  "version": "1.0",
  "inputs": [{"name": "images", "type": "images", "help": "a page image (PNG, JPEG, TIFF, BMP, PNM, WebP), a multi-page TIFF, a PDF, or a folder of them"}],
  "outputs": [
    {"name": "ocr", "type": "table", "help": "ocr.json: per page text, lines and words with boxes (x, y, w, h) and confidences"},
    {"name": "text", "type": "file", "help": "text.txt (all pages) and pages/<n>.txt"},
    {"name": "words", "type": "table", "help": "words.csv: page, line, word, box, confidence"},
    {"name": "overlays", "type": "image", "help": "overlays/<n>.png: each page reduced to at most 1600 pixels with its word boxes drawn (green confident, red doubtful)"}
  ],
  "parameters": [
    {"name": "language", "type": "string", "default": "eng", "help": "Tesseract language(s), e.g. eng or eng+deu (needs tesseract-ocr-<lang>)"},
    {"name": "psm", "type": "int", "default": 3, "min": 1, "max": 13, "help": "page segmentation mode as tesseract --psm (3 automatic, 4 one column, 6 one block, 7 one line, 11 sparse text; 2 is not supported)"},
    {"name": "deskew", "type": "bool", "default": true, "help": "estimate and remove page rotation up to 15 degrees"},
    {"name": "binarise", "type": "choice", "default": "none", "choices": ["none", "otsu", "adaptive"], "help": "binarisation before OCR (adaptive for uneven lighting; none leaves it to Tesseract)"},
    {"name": "dpi", "type": "int", "default": 300, "min": 70, "max": 2400, "help": "scan resolution of the pages"},
    {"name": "workers", "type": "int", "default": 0, "min": 0, "max": 256, "help": "pages recognised in parallel (0: the run's threads, else one per core)"},
    {"name": "max_megapixels", "type": "number", "default": 100, "min": 0.01, "max": 2000, "help": "larger pages are refused before they are decoded"},
    {"name": "page_timeout_s", "type": "number", "default": 0, "min": 0, "help": "give up on a page after this many seconds (0: no limit)"},
    {"name": "on_error", "type": "choice", "default": "fail", "choices": ["fail", "skip"], "help": "an unreadable page fails the run, or is listed with its error in ocr.json"},
    {"name": "overlays", "type": "bool", "default": true, "help": "write overlays/<n>.png (the page at most 1600 pixels long, with the word boxes)"}
  ],
  "stages": [
    {"id": "scan", "title": "Finding pages", "weight": 1},
    {"id": "recognise", "title": "Recognising text", "weight": 20},
    {"id": "write", "title": "Writing results", "weight": 2}
  ]
})json";

} // namespace

OcrPipeline::OcrPipeline() : manifest_(pipeline::PipelineManifest::fromJson(nlohmann::json::parse(kManifest))) {}

std::vector<std::unique_ptr<pipeline::Stage>> OcrPipeline::createStages() const
{
    std::vector<std::unique_ptr<pipeline::Stage>> s;
    s.push_back(std::make_unique<ScanStage>());
    s.push_back(std::make_unique<RecogniseStage>());
    s.push_back(std::make_unique<OcrWriteStage>());
    return s;
}

} // namespace strata::ocr

#pragma once

#include "strata/core/pipeline/Pipeline.h"

namespace strata::ocr {

// Workspace keys shared by the OCR stages.
inline constexpr const char* kImageRefs = "ocr_page_refs"; // std::vector<ImageRef>
inline constexpr const char* kPages = "ocr_pages";        // std::vector<OcrPage>

/// Lists the pages of the input (file, multi-page TIFF, folder).
class ScanStage : public pipeline::Stage {
public:
    void run(pipeline::StageContext& ctx) override;
};

/// Recognises every page in parallel (OcrBatch) and reports each page as it finishes.
class RecogniseStage : public pipeline::Stage {
public:
    void run(pipeline::StageContext& ctx) override;
};

/// Writes ocr.json, text.txt, pages/<n>.txt, words.csv and the overlays.
class OcrWriteStage : public pipeline::Stage {
public:
    void run(pipeline::StageContext& ctx) override;
};

} // namespace strata::ocr

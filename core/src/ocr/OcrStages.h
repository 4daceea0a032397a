#pragma once

#include "strata/core/pipeline/Pipeline.h"

#include <string>

namespace strata::ocr {

// Workspace keys shared by the OCR stages.
inline constexpr const char* kImageRefs = "ocr_page_refs"; // std::vector<ImageRef>
inline constexpr const char* kPages = "ocr_pages";        // std::vector<OcrPage>

/// "0001" for the page at index 0: the name of its files in the bundle (pages/0001.txt, overlays/0001.png).
std::string pageFileStem(int index);

/// Lists the pages of the input (file, multi-page TIFF, folder).
class ScanStage : public pipeline::Stage {
public:
    void run(pipeline::StageContext& ctx) override;
};

/// Recognises every page in parallel (OcrBatch), reports each page as it finishes and, when asked, has the
/// workers write the overlay pictures.
class RecogniseStage : public pipeline::Stage {
public:
    void run(pipeline::StageContext& ctx) override;
};

/// Writes ocr.json, text.txt, pages/<n>.txt and words.csv.
class OcrWriteStage : public pipeline::Stage {
public:
    void run(pipeline::StageContext& ctx) override;
};

} // namespace strata::ocr

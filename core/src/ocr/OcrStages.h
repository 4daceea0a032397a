#pragma once

#include "strata/pipeline/Pipeline.h"

#include <string>
#include <vector>

namespace strata {
struct ImageRef;
}

namespace strata::ocr {

struct OcrPage;

// Workspace keys shared by the OCR stages.
inline constexpr pipeline::WorkspaceKey<std::vector<ImageRef>> kImageRefs{"ocr_page_refs"};
inline constexpr pipeline::WorkspaceKey<std::vector<OcrPage>> kPages{"ocr_pages"};

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

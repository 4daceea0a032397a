#pragma once

#include "strata/pipeline/Pipeline.h"

namespace strata::ocr {

/// Document OCR: page images (a file, a multi-page TIFF or a folder) → clean-up (deskew, binarisation) →
/// Tesseract on every core (one engine per worker, reused) → text per page, lines and words with boxes and
/// confidences. Bundle: ocr.json, text.txt, pages/<n>.txt, words.csv, overlays/<n>.png (reduced), provenance.json.
class OcrPipeline : public pipeline::Pipeline {
public:
    OcrPipeline();
    [[nodiscard]] const pipeline::PipelineManifest& manifest() const override { return manifest_; }
    [[nodiscard]] std::vector<std::unique_ptr<pipeline::Stage>> createStages() const override;

private:
    pipeline::PipelineManifest manifest_;
};

} // namespace strata::ocr

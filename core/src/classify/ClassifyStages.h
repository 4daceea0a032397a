#pragma once

#include "strata/ImageSource.h"
#include "strata/classify/Predictions.h"
#include "strata/classify/TopLabels.h"
#include "strata/pipeline/Pipeline.h"

#include <string>
#include <vector>

namespace strata::classify {

// Workspace keys shared by the classification stages.
inline constexpr pipeline::WorkspaceKey<std::vector<ImageRef>> kImageRefs{"classify_image_refs"};
inline constexpr pipeline::WorkspaceKey<std::vector<ImageResult>> kResults{"classify_results"};

/// Lists the input images.
class CollectStage : public pipeline::Stage {
public:
    void run(pipeline::StageContext& ctx) override;
};

/// Reads, prepares and classifies the images batch by batch (a cancel lands between batches).
class ClassifyStage : public pipeline::Stage {
public:
    void run(pipeline::StageContext& ctx) override;
};

/// Writes predictions.json and predictions.csv.
class ClassifyWriteStage : public pipeline::Stage {
public:
    void run(pipeline::StageContext& ctx) override;
};

} // namespace strata::classify

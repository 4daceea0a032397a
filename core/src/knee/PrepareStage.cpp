#include "knee/KneeStages.h"
#include "knee/ModelDir.h"
#include "strata/core/Normalise.h"
#include "strata/core/Resample.h"
#include "strata/core/inference/ModelCard.h"

namespace strata::knee {

void PrepareStage::run(pipeline::StageContext& ctx)
{
    const auto card = inference::ModelCard::load(modelDirFromParameter(ctx.parameter<std::string>("model")));
    const Image& image = ctx.workspace().get<Image>(kImage);
    Image grid;
    if (spacingMatches(image.spacing(), card.targetSpacing)) {
        grid = image;
    } else {
        ctx.progress(0.1, "Resampling to the model's spacing");
        grid = resampleToSpacing(image, card.targetSpacing, Interpolation::Linear);
    }
    ctx.progress(0.6, "Normalising intensities");
    Image input = card.normalisation.method == "zscore"
                      ? clipAndZScore(grid, card.normalisation.clipLowPercentile, card.normalisation.clipHighPercentile)
                      : grid.convertedTo(PixelType::Float32);
    ctx.workspace().put(kModelInput, std::move(input));
}

} // namespace strata::knee

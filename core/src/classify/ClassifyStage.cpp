#include "classify/ClassifyStages.h"

#include "strata/Error.h"
#include "strata/ImageSource.h"
#include "strata/ModelLocator.h"
#include "strata/classify/ClassifierInput.h"
#include "strata/inference/ClassificationModel.h"

namespace strata::classify {

void ClassifyStage::run(pipeline::StageContext& ctx)
{
    const auto& refs = ctx.workspace().get(kImageRefs);
    inference::InferenceOptions options;
    options.device = ctx.request().device;
    options.threads = ctx.request().threads;
    ctx.progress(0.0, "Loading model");
    auto model = inference::ClassificationModel::load(modelDirFromParameter(ctx.parameter<std::string>("model")), options);
    const auto& card = model->card();
    ctx.note("device", model->deviceDescription());
    ctx.note("model", {{"name", card.name}, {"version", card.version}, {"sha256", card.sha256}});
    if (!model->messages().empty()) {
        ctx.note("inference_messages", model->messages());
    }
    std::vector<std::string> names(static_cast<std::size_t>(model->classCount()));
    for (int i = 0; i < model->classCount(); ++i) {
        const auto label = card.labels.find(i);
        names[static_cast<std::size_t>(i)] = label ? label->name : "class " + std::to_string(i);
    }
    const std::string polarity =
        ctx.parameter<std::string>("polarity") == "as-is" ? "as-is" : card.raw.value("polarity", std::string("as-is"));
    const auto maxPixels = static_cast<std::uint64_t>(ctx.parameter<double>("max_megapixels") * 1e6);
    const bool skipErrors = ctx.parameter<std::string>("on_error") == "skip";
    const int topK = ctx.parameter<int>("top_k");
    const auto batchSize = static_cast<std::size_t>(ctx.parameter<int>("batch"));

    std::vector<ImageResult> results(refs.size());
    std::size_t failed = 0;
    for (std::size_t start = 0; start < refs.size(); start += batchSize) {
        const std::size_t end = std::min(refs.size(), start + batchSize);
        std::vector<float> inputs;
        std::vector<std::size_t> rows; // which results the batch rows belong to
        for (std::size_t i = start; i < end; ++i) {
            results[i].source = refs[i].name();
            try {
                const auto x = classifierInput(ImageSource::read(refs[i], maxPixels), model->inputWidth(),
                                               model->inputHeight(), polarity);
                inputs.insert(inputs.end(), x.begin(), x.end());
                rows.push_back(i);
            } catch (const Error& e) {
                if (!skipErrors) {
                    throw;
                }
                results[i].error = e.what();
                ++failed;
            }
        }
        const auto probabilities = model->predict(inputs, rows.size());
        const auto classes = static_cast<std::size_t>(model->classCount());
        for (std::size_t r = 0; r < rows.size(); ++r) {
            results[rows[r]].top =
                topLabels(std::span<const float>(probabilities).subspan(r * classes, classes), names, topK);
        }
        ctx.progress(static_cast<double>(end) / refs.size(),
                     "Classified " + std::to_string(end) + "/" + std::to_string(refs.size()) + " images");
    }
    if (failed > 0) {
        ctx.note("failed_images", failed);
    }
    ctx.workspace().put(kResults, std::move(results));
}

} // namespace strata::classify

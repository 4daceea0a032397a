#include "PredictService.h"

#include "strata/Error.h"
#include "strata/ImageSource.h"
#include "strata/ModelLocator.h"
#include "strata/classify/BatchingClassifier.h"
#include "strata/classify/ClassifierInput.h"
#include "strata/classify/TopLabels.h"
#include "strata/inference/ClassificationModel.h"

#include <chrono>

namespace strata::remote {

struct PredictService::Entry {
    std::unique_ptr<inference::ClassificationModel> model;
    std::unique_ptr<classify::BatchingClassifier> batching;
    std::vector<std::string> names;
    std::string polarity;
};

PredictService::PredictService(Options options) : options_(std::move(options)) {}

PredictService::~PredictService() = default; // each BatchingClassifier finishes its queued requests first

PredictService::Entry& PredictService::entry(const std::string& model)
{
    std::lock_guard lock(mutex_);
    if (auto it = models_.find(model); it != models_.end()) {
        return *it->second;
    }
    auto e = std::make_unique<Entry>();
    const auto dir = findModelDir(model); // IoError naming where it looked
    e->model = inference::ClassificationModel::load(dir, {options_.device, options_.threads});
    const auto& card = e->model->card();
    for (int i = 0; i < e->model->classCount(); ++i) {
        const auto label = card.labels.find(i);
        e->names.push_back(label ? label->name : "class " + std::to_string(i));
    }
    e->polarity = card.raw.value("polarity", std::string("as-is"));
    auto* m = e->model.get();
    classify::BatchingClassifier::Options bo;
    bo.maxBatch = std::max<std::size_t>(1, options_.maxBatch);
    bo.maxWait = std::chrono::microseconds(options_.maxBatch > 1 ? options_.maxWaitMicros : 0);
    e->batching = std::make_unique<classify::BatchingClassifier>(
        [m](std::span<const float> inputs, std::size_t count) { return m->predict(inputs, count); }, m->inputSize(),
        static_cast<std::size_t>(m->classCount()), bo);
    return *models_.emplace(model, std::move(e)).first->second;
}

nlohmann::json PredictService::predict(const std::string& model, std::string_view imageBytes, int topK)
{
    const auto t0 = std::chrono::steady_clock::now();
    Entry& e = entry(model);
    if (topK < 1 || topK > e.model->classCount()) {
        throw InvalidArgument("top_k must be between 1 and " + std::to_string(e.model->classCount()) + " for model '" +
                              model + "'.");
    }
    const Image image = ImageSource::decode(imageBytes, options_.maxPixels, "the request body");
    auto input = classify::classifierInput(image, e.model->inputWidth(), e.model->inputHeight(), e.polarity);
    const auto probabilities = e.batching->predict(std::move(input));
    nlohmann::json top = nlohmann::json::array();
    for (const auto& s : classify::topLabels(probabilities, e.names, topK)) {
        top.push_back({{"id", s.id}, {"label", s.label}, {"probability", s.probability}});
    }
    const auto& card = e.model->card();
    return {{"model", card.name},
            {"version", card.version},
            {"top", top},
            {"milliseconds", std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count()}};
}

} // namespace strata::remote

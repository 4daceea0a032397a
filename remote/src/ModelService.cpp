#include "ModelService.h"

#include "HttpSupport.h"
#include "strata/Error.h"
#include "strata/ModelLocator.h"
#include "strata/inference/ModelCard.h"

#include <algorithm>

namespace strata::remote {

ModelService::ModelService(ServerContext& ctx, AuthService& auth)
    : ctx_(ctx), auth_(auth),
      predictor_(std::make_unique<PredictService>(PredictService::Options{
          static_cast<std::size_t>(std::max(1, ctx.config.predictMaxBatch)), ctx.config.predictMaxWaitMicros,
          ctx.config.maxPredictPixels, "auto", ctx.config.threadsPerJob}))
{
}

json ModelService::models() const
{
    json models = json::array();
    try {
        const fs::path root = findModelDir("knee").parent_path();
        for (const auto& e : fs::directory_iterator(root)) {
            if (!fs::exists(e.path() / "model.json")) continue;
            try {
                const auto card = inference::ModelCard::load(e.path());
                models.push_back({{"name", card.name}, {"version", card.version}, {"task", card.task},
                                  {"sha256", card.sha256}});
            } catch (const std::exception&) {
            }
        }
    } catch (const std::exception&) {
    }
    return models;
}

void ModelService::predict(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader)
{
    (void)auth_.caller(req);
    const std::string model = req.matches[1];
    const auto length = req.has_header("Content-Length") ? req.get_header_value<std::uint64_t>("Content-Length") : 0;
    if (length > ctx_.config.maxPredictBytes) {
        res.set_header("Connection", "close");
        throw HttpError(413, "limit_exceeded",
                        "A prediction request may hold at most " + std::to_string(ctx_.config.maxPredictBytes) +
                            " bytes; classify larger images with a job (POST jobs, pipeline classify).",
                        {{"limit", "max_predict_bytes"}, {"max", ctx_.config.maxPredictBytes}, {"value", length}});
    }
    std::string body;
    bool tooLarge = false;
    reader([&](const char* data, size_t n) {
        if (body.size() + n > ctx_.config.maxPredictBytes) {
            tooLarge = true; // chunked bodies have no Content-Length to check first
            return false;
        }
        body.append(data, n);
        return true;
    });
    if (tooLarge) {
        res.set_header("Connection", "close");
        throw HttpError(413, "limit_exceeded", "A prediction request may hold at most " + std::to_string(ctx_.config.maxPredictBytes) + " bytes.",
                        {{"limit", "max_predict_bytes"}, {"max", ctx_.config.maxPredictBytes}});
    }
    int topK = 3;
    if (req.has_param("top_k")) {
        try {
            topK = std::stoi(req.get_param_value("top_k"));
        } catch (const std::exception&) {
            throw HttpError(400, "bad_parameter", "top_k must be a whole number.", {{"parameter", "top_k"}});
        }
    }
    try {
        sendJson(res, 200, predictor_->predict(model, body, topK));
    } catch (const IoError& e) {
        const bool missing = std::string(e.what()).find("not found") != std::string::npos;
        throw HttpError(missing ? 404 : 400, missing ? "model_not_found" : "bad_model", e.what(), {{"model", model}});
    }
}

} // namespace strata::remote

#pragma once

#include "AuthService.h"
#include "PredictService.h"
#include "ServerContext.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <memory>

namespace strata::remote {

/// The models this server has (models/<name>/model.json) and the synchronous predict endpoint, which owns the
/// PredictService (models load on first use).
class ModelService {
public:
    ModelService(ServerContext& ctx, AuthService& auth);

    /// [{"name", "version", "task", "sha256"}] of the installed models (none when no model folder is found).
    [[nodiscard]] nlohmann::json models() const;
    /// POST /models/{name}/predict[?top_k=N]: one image body (at most max_predict_bytes) to its top labels.
    void predict(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader);

private:
    ServerContext& ctx_;
    AuthService& auth_;
    std::unique_ptr<PredictService> predictor_;
};

} // namespace strata::remote

#include "strata/pipeline/StageContext.h"

#include <algorithm>

namespace strata::pipeline {

StageContext::StageContext(const RunRequest& request, const nlohmann::json& parameters, Workspace& workspace,
                           const std::filesystem::path& outputDir, std::stop_token stop, ProgressFn progress,
                           nlohmann::json& notes)
    : request_(request), parameters_(parameters), workspace_(workspace), outputDir_(outputDir), stop_(std::move(stop)),
      progress_(std::move(progress)), notes_(notes)
{
}

void StageContext::progress(double fraction, const std::string& message)
{
    throwIfStopped(stop_);
    reportProgress(progress_, std::clamp(fraction, 0.0, 1.0), message);
}

ProgressFn StageContext::progressRange(double from, double to)
{
    return [this, from, to](double f, const std::string& message) { progress(from + (to - from) * f, message); };
}

void StageContext::note(const std::string& key, nlohmann::json value)
{
    notes_[key] = std::move(value);
}

} // namespace strata::pipeline

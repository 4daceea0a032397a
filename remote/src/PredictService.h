#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace strata::classify {
class BatchingClassifier;
}
namespace strata::inference {
class ClassificationModel;
}

namespace strata::remote {

/// The synchronous prediction endpoint (POST /api/v1/models/{name}/predict, body = one small image): no job, no
/// upload; concurrent requests for the same model are collected into one forward pass (BatchingClassifier:
/// up to maxBatch requests or maxWaitMicros). Models load on first use and stay loaded. Thread-safe.
class PredictService {
public:
    struct Options {
        std::size_t maxBatch{32};      ///< 1 = no batching (every request its own forward pass)
        std::int64_t maxWaitMicros{2000};
        std::uint64_t maxPixels{16'000'000};
        std::string device{"auto"};
        int threads{0};                ///< CPU threads of the forward pass (0 = all cores)
    };

    explicit PredictService(Options options);
    ~PredictService();
    PredictService(const PredictService&) = delete;
    PredictService& operator=(const PredictService&) = delete;

    /// Classifies one encoded image (PNG, JPEG, BMP, TIFF) with models/<model>/ (task "classification").
    /// Returns {model, version, top: [{id, label, probability}], milliseconds}. Throws InvalidArgument (bad image,
    /// bad top_k, not a classifier) or IoError (no such model).
    nlohmann::json predict(const std::string& model, std::string_view imageBytes, int topK);

    const Options& options() const { return options_; }

private:
    struct Entry;
    Entry& entry(const std::string& model);

    Options options_;
    std::mutex mutex_;
    std::map<std::string, std::unique_ptr<Entry>> models_;
};

} // namespace strata::remote

#include "strata/inference/SegmentationModelCache.h"

#include <atomic>
#include <mutex>
#include <string>

namespace strata::inference {
namespace {

/// What makes two loads interchangeable: the files (path, size, time) and every option the model keeps.
std::string keyOf(const std::filesystem::path& dir, const InferenceOptions& o)
{
    std::error_code ec;
    std::string key = std::filesystem::weakly_canonical(dir, ec).string();
    for (const char* name : {"model.json", "model.pt"}) {
        const auto file = dir / name;
        const auto size = std::filesystem::file_size(file, ec);
        const auto time = std::filesystem::last_write_time(file, ec).time_since_epoch().count();
        key += '|' + std::to_string(ec ? 0 : size) + ':' + std::to_string(time);
    }
    key += '|' + o.device + '|' + std::to_string(o.threads) + '|' + std::to_string(o.halfPrecision) + '|' +
           std::to_string(o.tileBatch) + '|' + std::to_string(o.maxTileVoxels) + '|' + std::to_string(o.minOverlapVoxels);
    return key;
}

struct Cache {
    std::mutex mutex;
    std::string key;
    std::unique_ptr<SegmentationModel> model;
    std::atomic<std::size_t> loads{0};
};

Cache& cache()
{
    static auto* c = new Cache; // never destroyed: no torch module is freed during static destruction
    return *c;
}

} // namespace

std::unique_ptr<SegmentationModel> SegmentationModelCache::take(const std::filesystem::path& modelDir, const InferenceOptions& options)
{
    const std::string key = keyOf(modelDir, options);
    {
        std::lock_guard lock(cache().mutex);
        if (cache().model && cache().key == key) {
            cache().key.clear();
            return std::move(cache().model);
        }
    }
    ++cache().loads;
    return SegmentationModel::load(modelDir, options);
}

void SegmentationModelCache::giveBack(std::unique_ptr<SegmentationModel> model)
{
    if (!model || model->messages().size() != model->messagesAtLoad()) return; // changed by its run: not kept
    const std::string key = keyOf(model->directory(), model->options());
    std::unique_ptr<SegmentationModel> old; // declared before the lock: freed after it is released
    std::lock_guard lock(cache().mutex);
    old = std::move(cache().model);
    cache().model = std::move(model);
    cache().key = key;
}

std::size_t SegmentationModelCache::loads()
{
    return cache().loads;
}

void SegmentationModelCache::clear()
{
    std::lock_guard lock(cache().mutex);
    cache().model.reset();
    cache().key.clear();
}

} // namespace strata::inference

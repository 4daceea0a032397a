#pragma once

#include "strata/inference/SegmentationModel.h"

#include <filesystem>
#include <memory>

namespace strata::inference {

/// Keeps the last segmentation model a run used, so the next run with the same model files and options (a cohort's
/// next case, the next job of a server) does not load and checksum it again. A model is lent to one run at a time
/// (take / give back); one whose run had to change it (a CUDA fallback or smaller tiles after running out of memory:
/// new messages) is not kept, so every run starts from the same state. The files' size and modification time are part
/// of the key: a replaced model is loaded anew.
class SegmentationModelCache {
public:
    /// The cached model for these files and options (taken out of the cache), else a freshly loaded one.
    [[nodiscard]] static std::unique_ptr<SegmentationModel> take(const std::filesystem::path& modelDir,
                                                                 const InferenceOptions& options);
    /// Returns a model after its run; kept (replacing any other) unless the run changed it.
    static void giveBack(std::unique_ptr<SegmentationModel> model);
    /// Models loaded from files since the process started (for tests and diagnostics).
    [[nodiscard]] static std::size_t loads();
    /// Drops the kept model.
    static void clear();
};

} // namespace strata::inference

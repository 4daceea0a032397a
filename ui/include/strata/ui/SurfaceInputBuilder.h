#pragma once

#include "strata/ui/SurfaceInput.h"

#include <strata/LabelMap.h>
#include <strata/Progress.h>

#include <memory>
#include <set>
#include <stop_token>

namespace strata::ui {

/// Prepares SurfaceInput from a label map on a worker thread (no VTK): bounding boxes, cropped masks,
/// subsampling of very large structures so that each surface builds quickly on the GUI thread.
class SurfaceInputBuilder {
public:
    /// maxVoxelsPerLabel: masks larger than this are subsampled by 2 (or more) along each axis. `only`: the ids to
    /// prepare (empty: every id present), e.g. the labels an edit touched.
    static std::shared_ptr<SurfaceInput> build(const LabelMap& labels, std::stop_token stop,
                                               const ProgressFn& progress = {},
                                               std::size_t maxVoxelsPerLabel = 6'000'000, const std::set<int>& only = {});
};

} // namespace strata::ui

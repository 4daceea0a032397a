#pragma once

#include "phantom/KneeAnatomy.h"

#include <nlohmann/json.hpp>

#include <functional>

namespace strata::phantom {

/// The true cartilage thickness of each plate, from its thickness field sampled at bone-surface points
/// under the plate. Surface points come from a fine isotropic grid (step `stepMm`) in the canonical
/// frame: grid points p with 0 <= sdf(p) < step, projected onto the surface along the normal. Such
/// points are spread uniformly over the surface area (about one per step^2), so the statistics are
/// area-weighted. Points whose projection `inImage` rejects (outside the field of view) are skipped.
/// Returns {plate name: {mean, sd, min, max, median, p05, p95, samples, area_mm2}}.
nlohmann::json sampleThicknessTruth(const KneeAnatomy& anatomy, const std::function<bool(V3)>& inImage,
                                    double stepMm, unsigned threads);

} // namespace strata::phantom

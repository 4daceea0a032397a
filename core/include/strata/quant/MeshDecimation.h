#pragma once

#include "strata/quant/Mesh.h"

#include <stop_token>

namespace strata::quant {

/// Vertex-clustering decimation (Rossignac & Borrel): vertices are merged per cell of a uniform grid
/// (position and scalar averaged), collapsed and duplicate triangles dropped. The cell size is found by
/// bisection so that about `targetReduction` (0..1) of the triangles are removed. Fast and robust, but
/// the result is not guaranteed to stay manifold / watertight.
[[nodiscard]] Mesh decimate(const Mesh& mesh, double targetReduction, std::stop_token stop = {});

} // namespace strata::quant

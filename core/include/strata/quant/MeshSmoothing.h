#pragma once

#include "strata/quant/Mesh.h"

#include <stop_token>

namespace strata::quant {

/// Uniform-weight Laplacian smoothing: each pass moves every vertex by lambda times the vector to the
/// mean of its edge neighbours. Shrinks closed surfaces; prefer taubinSmooth.
void laplacianSmooth(Mesh& mesh, int iterations, double lambda = 0.5, std::stop_token stop = {});

/// Taubin lambda|mu smoothing (Taubin 1995): alternating passes with lambda > 0 and mu < -lambda, a
/// low-pass filter that removes the marching-cubes staircase without the shrinkage of plain Laplacian.
void taubinSmooth(Mesh& mesh, int iterations, double lambda = 0.5, double mu = -0.53, std::stop_token stop = {});

} // namespace strata::quant

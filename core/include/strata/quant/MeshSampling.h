#pragma once

#include "strata/Image.h"
#include "strata/quant/Mesh.h"

#include <string>

namespace strata::quant {

/// Sets mesh.scalars to `image` (a Float32 map, 0 = no value, e.g. a thickness map) sampled at every
/// vertex: trilinear interpolation over the non-zero voxels of the vertex's cell (zero voxels get no
/// weight), or, if all eight are zero, the nearest non-zero voxel within `searchRadiusVoxels`; 0 if none.
void sampleVertexScalars(Mesh& mesh, const Image& image, const std::string& name, int searchRadiusVoxels = 2);

} // namespace strata::quant

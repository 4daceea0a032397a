#pragma once

#include "strata/quant/Mesh.h"

#include <filesystem>

namespace strata::quant {

/// Binary STL (80-byte header, triangle count, per-triangle normal + 3 vertices, float32 little endian).
void writeStl(const Mesh& mesh, const std::filesystem::path& path);
/// Binary little-endian PLY: vertex x y z (float) [+ the scalar as a float property named after
/// mesh.scalarName], face list (uchar count, int indices).
void writePly(const Mesh& mesh, const std::filesystem::path& path);
/// VTK XML PolyData (.vtp), ascii: Points, Polys (connectivity/offsets) and the scalar as PointData.
void writeVtp(const Mesh& mesh, const std::filesystem::path& path);
/// Chooses the writer from the extension (.stl, .ply, .vtp); throws InvalidArgument otherwise.
void writeMesh(const Mesh& mesh, const std::filesystem::path& path);

/// Reads a binary STL (vertices not shared: three per triangle). Throws IoError.
[[nodiscard]] Mesh readStl(const std::filesystem::path& path);
/// Reads a binary little-endian PLY as written by writePly. Throws IoError.
[[nodiscard]] Mesh readPly(const std::filesystem::path& path);

} // namespace strata::quant

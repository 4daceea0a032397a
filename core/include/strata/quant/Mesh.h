#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace strata::quant {

/// A triangle surface in world coordinates (LPS, mm). Triangles are counter-clockwise seen from outside
/// (normals point out of the structure).
struct Mesh {
    std::vector<std::array<float, 3>> vertices;
    std::vector<std::array<std::uint32_t, 3>> triangles;
    /// Optional per-vertex scalar (empty, or one value per vertex), e.g. "thickness_mm".
    std::string scalarName;
    std::vector<float> scalars;

    [[nodiscard]] bool empty() const { return triangles.empty(); }
};

/// Total triangle area (mm^2).
[[nodiscard]] double surfaceArea(const Mesh& mesh);
/// Enclosed volume (mm^3) by the divergence theorem; positive for a closed outward-oriented surface.
[[nodiscard]] double enclosedVolume(const Mesh& mesh);
/// True if every edge is shared by exactly two triangles that use it in opposite directions
/// (closed, manifold along edges, consistently oriented).
[[nodiscard]] bool isWatertight(const Mesh& mesh);

} // namespace strata::quant

#pragma once

#include "strata/Image.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace strata::quant {

/// A cartilage plate's thickness drawn flat, the way cartilage studies show it in figures: the tibial and
/// patellar plates seen along one patient direction, the femoral cartilage unrolled around the condyles.
/// Each map pixel holds the largest local thickness of the plate's voxels that fall in it (NaN: no cartilage).
struct ThicknessMap {
    /// What a pixel shows of the voxels that fall in it: the largest value (thickness) or their mean (change).
    enum class Reduction { Largest, Mean };

    std::size_t width{0};
    std::size_t height{0};
    double pixelWidthMm{0};  ///< size of a pixel along x, mm
    double pixelHeightMm{0}; ///< along y: mm (projection) or arc length at the plate's mean radius (unrolled)
    std::vector<float> mm;   ///< row-major, row 0 at the top
    /// Patient directions at the left, right, top and bottom edges ("R", "L", "A", "P"; "S ... A ... I ... P"
    /// along an unrolled axis), for the captions.
    std::string left, right, top, bottom;

    [[nodiscard]] float at(std::size_t x, std::size_t y) const { return mm[y * width + x]; }
    /// Pixels with cartilage.
    [[nodiscard]] std::size_t covered() const;
    /// Largest thickness on the map (0 when empty).
    [[nodiscard]] float maxMm() const;

    /// A plate seen along `view` (a patient LPS unit vector, e.g. {0, 0, -1}: from above, for the tibial plates).
    /// The map's x runs along `across` (LPS unit vector orthogonal to view, e.g. {1, 0, 0}: right to left); y
    /// along view x across. Pixel size: the scan's largest spacing, so no voxel leaves a hole.
    [[nodiscard]] static ThicknessMap project(const Image& thickness, const Image& labels, std::uint8_t label,
                                              const Vec3& view, const Vec3& across,
                                              Reduction reduction = Reduction::Largest);

    /// A plate unrolled around an axis (`axis`: LPS unit vector, {1, 0, 0} for the femoral condyles) through its
    /// centre of curvature (least-squares circle across the axis): x = position along the axis, y = angle around
    /// it, turning from `start` (orthogonal to axis, e.g. {0, 0, 1}: superior) towards `towards` (e.g. {0, -1, 0}:
    /// anterior) and cut where the plate has its widest angular gap, so the femoral cartilage reads trochlea -
    /// distal - posterior condyles from top to bottom. Angular pixels have the arc length of one x pixel at the
    /// plate's mean distance from the axis.
    [[nodiscard]] static ThicknessMap unroll(const Image& thickness, const Image& labels, std::uint8_t label,
                                             const Vec3& axis, const Vec3& start, const Vec3& towards,
                                             Reduction reduction = Reduction::Largest);

    /// Writes the map as an RGB PNG: thickness coloured 0 .. maxMm (viridis; grey: no cartilage), enlarged to be
    /// readable, a colour bar with its scale in mm, the title and the patient directions at the edges.
    /// `diverging`: a change map, -maxMm (blue, loss) .. 0 (white) .. +maxMm (red, gain).
    /// Throws IoError when it cannot be written.
    void writePng(const std::filesystem::path& path, const std::string& title, double maxMm, bool diverging = false) const;
};

} // namespace strata::quant

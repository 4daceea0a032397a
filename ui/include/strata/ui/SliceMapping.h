#pragma once

#include "strata/ui/ViewPlane.h"

#include <strata/Image.h>

#include <array>

namespace strata::ui {

/// How a slice view maps its pixels (u to the right, v down) to voxel indices of an image.
/// The index axis closest to each patient axis is chosen from the direction matrix, and axes are flipped
/// so that the display follows the radiological convention: axial and coronal show the patient's right on
/// the screen's left, axial anterior up, coronal/sagittal superior up, sagittal anterior on the left.
class SliceMapping {
public:
    SliceMapping() = default;
    static SliceMapping compute(const Image& image, ViewPlane plane);

    /// For each patient axis (LPS x, y, z) the index axis closest to it, and the sign (+1 / -1) with which the
    /// index axis runs along it. Always a permutation, also for oblique directions.
    static std::array<int, 3> patientToIndexAxes(const Mat3& direction, std::array<int, 3>* signs = nullptr);

    ViewPlane plane() const { return plane_; }
    int horizontalAxis() const { return hAxis_; }
    int verticalAxis() const { return vAxis_; }
    int sliceAxis() const { return sAxis_; }
    bool flipHorizontal() const { return flipH_; }
    bool flipVertical() const { return flipV_; }
    /// +1 if increasing the index along sliceAxis() moves superior (axial), anterior (coronal), left (sagittal).
    int sliceStep() const { return sliceStep_; }
    int width() const { return width_; }
    int height() const { return height_; }
    int sliceCount() const { return depth_; }
    double pixelWidthMm() const { return pixelW_; }
    double pixelHeightMm() const { return pixelH_; }

    /// Continuous voxel index of the continuous pixel position (u, v) on slice `slice` (pixel centres at
    /// integer u, v).
    Vec3 indexOf(double u, double v, double slice) const;
    /// Continuous pixel position of a voxel index (the inverse of indexOf for the in-plane part).
    std::array<double, 2> pixelOf(const Vec3& index) const;

    /// Patient direction letter at the left, right, top and bottom edges of the view.
    static const char* edgeLetter(ViewPlane plane, int edge); // edge: 0 left, 1 right, 2 top, 3 bottom

private:
    ViewPlane plane_{ViewPlane::Axial};
    int hAxis_{0}, vAxis_{1}, sAxis_{2};
    bool flipH_{false}, flipV_{false};
    int sliceStep_{1};
    int width_{0}, height_{0}, depth_{0};
    double pixelW_{1.0}, pixelH_{1.0};
};

} // namespace strata::ui

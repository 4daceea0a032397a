#pragma once

#include "strata/edit/LabelDelta.h"

namespace strata::edit {

/// Fills the gaps of a label drawn on some slices only (contour every few slices): along index axis `axis`, between
/// every two slices that hold `label` with only slices without it in between, each slice in the gap gets the shape
/// interpolated between the two (shape-based interpolation, Raya & Udupa 1990: the signed in-plane distance to
/// each shape's boundary, in mm, blended linearly and thresholded at 0, so a disc of radius 10 mm and one of 20 mm
/// give a disc of 15 mm half way; a shape that moves, moves). Only background voxels are painted. Applied to
/// `labels`; returns the change (one undo step).
LabelDelta interpolateBetweenSlices(LabelMap& labels, int label, int axis);

} // namespace strata::edit

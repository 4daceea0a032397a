#pragma once

#include "strata/LabelMap.h"
#include "strata/dicom/SegmentCoding.h"

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace strata::dicom {

/// One segment of a DICOM SEG as read: its number, the label id it gets, its label, coded category and type, and
/// its display colour.
struct SegSegment {
    int number{0};  ///< Segment Number
    int labelId{0}; ///< the id it gets in the label map readDicomSeg returns
    std::string label;
    Code category;
    Code type;
    std::array<std::uint8_t, 3> rgb{128, 128, 128}; ///< from the recommended CIELab colour
};

/// What a DICOM SEG file says about itself and its source.
struct DicomSegInfo {
    std::string sopInstanceUid;
    std::string seriesInstanceUid;
    std::string referencedSeriesUid; ///< the source series (Referenced Series Sequence)
    std::string frameOfReferenceUid;
    std::size_t rows{0};
    std::size_t columns{0};
    std::size_t frames{0};
    std::vector<SegSegment> segments;
};

/// True when `file` is a DICOM file (Part 10, with the "DICM" prefix) of the Segmentation Storage SOP class (reads
/// the header only; never throws).
[[nodiscard]] bool isDicomSeg(const std::filesystem::path& file);

/// Reads a binary or fractional DICOM SEG onto `grid`, the source series' image (its size, spacing, origin and
/// direction): each frame goes to the slice at its Image Position (Patient). Label ids: Strata's knee ids when
/// a segment's label names one of its structures (as Strata writes them), else the segment number; the label
/// table has the segment labels (lower case, '_' for spaces) and colours. Where segments overlap the later one
/// wins. Throws IoError (unreadable, not a SEG) or InvalidArgument (a frame not on the grid: another series).
[[nodiscard]] LabelMap readDicomSeg(const std::filesystem::path& file, const Image& grid, DicomSegInfo* info = nullptr);

} // namespace strata::dicom

#pragma once

#include "strata/Image.h"

#include <filesystem>
#include <string>
#include <vector>

namespace strata::test {

/// What a synthetic DICOM series is written with (every UID made fresh unless given).
struct SyntheticSeries {
    std::string patientName{"Test^Knee"};
    std::string patientId{"STRATA-TEST-1"};
    std::string studyUid;
    std::string seriesUid;
    std::string frameOfReferenceUid;
    std::string seriesNumber{"3"};
    std::string laterality; ///< (0020,0060), "" for none
    std::vector<std::string> sopInstanceUids; ///< filled by writeSyntheticSeries, one per slice
    /// How the files are encoded: the usual explicit little endian, implicit VR, explicit big endian (retired but
    /// still met) or RLE lossless (encapsulated pixel data).
    enum class Encoding { ExplicitLittleEndian, ImplicitLittleEndian, ExplicitBigEndian, RleLossless };
    Encoding encoding{Encoding::ExplicitLittleEndian};
    /// Rescale Slope / Intercept (0028,1053 / 1052), written when not 1 / 0.
    double rescaleSlope{1.0};
    double rescaleIntercept{0.0};
};

/// Writes `image` (any scalar type; stored as unsigned 16-bit, values clamped) as an MR Image Storage series, one
/// file per slice (slice_NNN.dcm) in `dir`, with its geometry (Image Position / Orientation (Patient), Pixel
/// Spacing, Slice Thickness) and the UIDs of `series` (those left empty are generated and stored back).
void writeSyntheticSeries(const Image& image, const std::filesystem::path& dir, SyntheticSeries& series);

/// A new UID.
std::string newTestUid();

} // namespace strata::test

namespace strata::test {

/// Writes `image` as one Enhanced MR Image Storage file (multi-frame: one frame per slice, geometry in the shared
/// Pixel Measures / Plane Orientation and per-frame Plane Position functional groups).
void writeSyntheticEnhancedMr(const Image& image, const std::filesystem::path& file);

} // namespace strata::test

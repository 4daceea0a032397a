#pragma once

#include "strata/Image.h"
#include "strata/ImageIO.h"
#include "strata/dicom/DicomIdentity.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace strata::io {

/// One DICOM series found in a directory.
struct DicomSeriesInfo {
    std::string uid;
    std::vector<std::string> files; ///< sorted by slice position
};

/// Lists the DICOM series of a directory (not recursive), largest first.
std::vector<DicomSeriesInfo> findDicomSeries(const std::filesystem::path& directory);

/// The size of the volume readDicomSeries would read from a directory, from headers only (nothing is decoded):
/// columns, rows, and the largest series' files times each file's frames. Throws IoError when the directory
/// holds no DICOM series. A series readDicomSeries then refuses (missing slices, ...) is refused when read.
Size3 dicomSeriesSize(const std::filesystem::path& directory);

/// The size readImage gives for one DICOM file (columns, rows, frames), from its header alone: nothing is decoded
/// (gdcm::ImageReader, behind ITK's GDCMImageIO, decodes compressed pixel data already while it reads the header).
/// Nothing when the file does not look like DICOM or holds no image. Throws IoError for a damaged header.
[[nodiscard]] std::optional<Size3> dicomFileSize(const std::filesystem::path& file);

/// Reads the largest DICOM series of a directory into one volume, sorted by position, keeping orientation.
/// With `identity`, also its UIDs, patient and study attributes and each slice's SOP instance (instances[k] is
/// slice k), from the headers read with the pixels; left empty for multi-frame files (no instance per slice).
/// A plain series (one single-frame grey file per slice, ordered by position) is read in one pass per file
/// (readDicomSeriesFast); anything else, and every refusal, goes through ITK's series reader as before.
Image readDicomSeries(const std::filesystem::path& directory, const ReadLimits& limits,
                      dicom::DicomIdentity* identity = nullptr);

/// The same through ITK's series scanner and reader only (GDCMSeriesFileNames + ImageSeriesReader): the reference
/// the one-pass reader is checked against.
Image readDicomSeriesWithItk(const std::filesystem::path& directory, const ReadLimits& limits,
                             dicom::DicomIdentity* identity = nullptr);

} // namespace strata::io

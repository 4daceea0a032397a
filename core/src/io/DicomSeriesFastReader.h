#pragma once

#include "strata/Image.h"
#include "strata/ImageIO.h"
#include "strata/dicom/DicomIdentity.h"

#include <filesystem>
#include <optional>

namespace strata::io {

class GdcmWarningCapture;

/// Reads the largest DICOM series of a directory in one pass per file: each header is read once, up to the pixel
/// data (DicomFileHeader), to find and order the series exactly as ITK's GDCMSeriesFileNames does (series UID
/// refined by series number, sequence name, slice thickness, rows and columns; ordered by position along the first
/// slice's normal); then only the chosen slices' pixel data is read, from where each header ended, decoded by GDCM
/// (any transfer syntax) and rescaled straight into the volume, slice by slice. Geometry, pixel type, rescaling and
/// identity are those ITK's ImageSeriesReader + GDCMImageIO give (taken from slice 0 as GDCMImageIO does, without
/// ITK reading it again). Returns nothing, having read nothing into `identity`, for anything else: several series of
/// the largest size, multi-frame, colour or palette files, missing or repeated positions, irregular slice spacing,
/// a slice that does not decode, is truncated or differs in pixel format or rescaled type; the caller then reads
/// through ITK, which refuses what must be refused with its usual messages. Throws IoError for a series over
/// `limits`. A folder from outside must hold no compressed pixel data (readDicomSeries hands it the folder of
/// DecodedDicomCopies): GDCM's codecs would run in this process.
std::optional<Image> readDicomSeriesFast(const std::filesystem::path& directory, const ReadLimits& limits,
                                         dicom::DicomIdentity* identity, GdcmWarningCapture& warnings);

} // namespace strata::io

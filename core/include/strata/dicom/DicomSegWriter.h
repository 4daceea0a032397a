#pragma once

#include "strata/LabelMap.h"
#include "strata/dicom/DicomIdentity.h"

#include <filesystem>
#include <map>
#include <string>

namespace strata::dicom {

/// What was written, for the objects that reference it (the SR's measurement groups).
struct WrittenSeg {
    std::string sopClassUid;
    std::string sopInstanceUid;
    std::string seriesInstanceUid;
    std::map<int, int> segmentOfLabel; ///< label id -> Segment Number (1, 2, ...)
};

/// The algorithm and series attributes writeDicomSeg gives the segmentation.
struct SegWriteOptions {
    std::string algorithmType{"AUTOMATIC"}; ///< Segment Algorithm Type: AUTOMATIC, SEMIAUTOMATIC or MANUAL
    std::string algorithmName{"Strata"};    ///< Segment Algorithm Name (not written for MANUAL)
    std::string seriesDescription{"Strata segmentation"};
    std::string contentLabel{"SEGMENTATION"}; ///< CS: upper case, digits, space, underscore
};

/// Writes `labels` as a binary DICOM Segmentation (one segment per label id that has voxels; names, CIELab
/// colours from the label table, SNOMED CT category and type from segmentCodingFor) in the patient, study and
/// Frame of Reference of `source`, each frame referencing the source slice it lies on (Derivation Image and
/// Referenced Series). `labels` must lie on the source series' grid: one source instance per slice. Frames
/// with no voxel of their segment are left out. Throws InvalidArgument (grid mismatch, nothing to write) or
/// IoError (DCMTK refused the object or the file).
WrittenSeg writeDicomSeg(const LabelMap& labels, const DicomIdentity& source, const std::filesystem::path& file,
                         const SegWriteOptions& options = {});

} // namespace strata::dicom

#pragma once

#include "strata/dicom/DicomIdentity.h"

#include <cstddef>
#include <filesystem>

namespace strata::io {

/// The identity of one multi-frame DICOM file (enhanced MR or CT) read as a volume of `slices` slices, slice k
/// being frame k + 1 as GDCM reads them: the file's UIDs, patient and study attributes, and for each slice the
/// instance, its frame number and the frame's own position (Per-Frame Functional Groups > Plane Position), so
/// that a DICOM SEG references the frames it segments. Empty (no SEG) when the file is not DICOM, has not
/// `slices` frames, or a frame lacks its position. Reads the header only.
dicom::DicomIdentity multiFrameIdentity(const std::filesystem::path& file, std::size_t slices);

} // namespace strata::io

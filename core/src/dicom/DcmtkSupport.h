#pragma once

// Small helpers shared by the DICOM SEG and SR writers and readers (DCMTK types: core/src only).

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/ofstd/ofcond.h>

#include <filesystem>
#include <string>

namespace strata::dicom {

/// DCMTK logs warnings to stderr (e.g. while reading a header only): keep it to errors. Call before using DCMTK.
void quietDcmtk();
/// Throws IoError "Cannot write the DICOM object: DCMTK could not <what> (<reason>)." when `condition` is bad.
void check(const OFCondition& condition, const std::string& what);
/// A decimal string (DS) of at most 16 characters.
std::string ds(double value);
/// A new UID under DCMTK's root.
std::string newUid();
/// The element's value as a string ("" when absent).
std::string stringOf(DcmItem& item, const DcmTagKey& key);
/// Content Date / Time: now.
void setContentDateTime(DcmItem& item);
/// Saves as explicit VR little endian with a file meta header, through a staging file (no partial file left).
void saveFile(DcmFileFormat& fileFormat, const std::filesystem::path& path);
/// Loads a DICOM file; throws IoError naming it when it cannot be read.
void loadFile(DcmFileFormat& fileFormat, const std::filesystem::path& path);

} // namespace strata::dicom

#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace strata::io {

/// Why GDCM must not be given `file`, from the structure of its File Meta Information and data set up to the pixel
/// data, read by lengths only: Debian's GDCM is built with assertions, and a meta element that is a sequence, has an
/// undefined length or runs past the end of the file (or a file that ends right after its meta group) aborts the
/// whole process inside GDCM; any element, item or fragment is allocated at the length it declares before it is
/// read (a 500-byte file made GDCM allocate 3.6 GB); deeply nested sequences recurse. Empty when the file does not
/// start like a DICOM file ("DICM" at byte 128), or its structure is sound. Deflated and big endian data sets are
/// checked in their meta group only. `withoutPreamble`: also a file without "DICM" that GDCM would read as a bare
/// data set (it guesses the encoding from the first element): for files that go to GDCM whatever they hold (a .dcm
/// file, a file of unknown format, every file of a DICOM folder).
[[nodiscard]] std::string dicomMetaProblem(const std::filesystem::path& file, bool withoutPreamble = false);

/// True for the value representations whose explicit-VR length is 4 bytes after 2 reserved ones (OB, OW, SQ, UN, ...).
[[nodiscard]] bool hasLongDicomLength(std::string_view vr);

/// True when `file` starts like a DICOM file: "DICM" at byte 128, or (a bare data set) a first element of group 0002
/// or 0008 little endian. Only such files are handed to GDCM; GDCM guesses at anything else, and some guesses
/// assert (9 bytes of noise in a series folder aborted the process).
[[nodiscard]] bool looksLikeDicom(const std::filesystem::path& file);

/// Throws IoError ("Cannot read <file>: the DICOM file is damaged (<problem>).") when
/// dicomMetaProblem(file) finds one. Call it before any GDCM or ITK read of a file from outside.
void refuseDamagedDicomMeta(const std::filesystem::path& file, bool withoutPreamble = false);

} // namespace strata::io

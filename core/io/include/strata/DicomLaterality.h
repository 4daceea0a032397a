#pragma once

#include <filesystem>
#include <string>

namespace strata {

/// The side a DICOM input shows, from its header: "left" or "right" from Laterality (0020,0060) or, when that is
/// empty, Image Laterality (0020,0062); "" when neither says L or R, or the input is not DICOM (a NIfTI has no
/// such field). `input` is a series folder (the largest series' first file is read) or one DICOM file. Reads
/// the header only; never throws.
[[nodiscard]] std::string readDicomLaterality(const std::filesystem::path& input);

} // namespace strata

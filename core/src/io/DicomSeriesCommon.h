#pragma once

#include "strata/dicom/DicomIdentity.h"

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace strata::io {

/// A DICOM string value without its padding (trailing spaces and NULs, leading spaces).
std::string trimmedDicomValue(std::string value);

/// Why slice positions along the slice normal (in file order) cannot be read as one regular volume: two at the
/// same place (two acquisitions), a jump of whole steps (missing or unreadable slices) or a gap varying by more
/// than 10 %; empty when they can. `files` name the slices in the messages.
std::string sliceSpacingProblem(const std::vector<double>& positions, const std::vector<std::string>& files);

/// A series' identity from its slices' attributes: `tag(k, "gggg|eeee")` is slice k's value of that attribute,
/// trimmed ("" when absent). Patient, study and series attributes come from slice 0; one instance per slice.
dicom::DicomIdentity dicomIdentityOf(std::size_t slices,
                                     const std::function<std::string(std::size_t, const char*)>& tag);

} // namespace strata::io

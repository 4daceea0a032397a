#pragma once

#include <cstdint>
#include <filesystem>

namespace strata::io {

/// Throws IoError if a NIfTI (.nii, .nii.gz) or MetaImage (.mha, .mhd) file holds less pixel data than its
/// header declares. ITK's readers for these formats accept such truncated files silently (zeros or garbage).
/// Other formats are left to their readers, which do notice.
void checkPixelDataComplete(const std::filesystem::path& path, std::uint64_t pixelBytes);

} // namespace strata::io

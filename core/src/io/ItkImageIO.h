#pragma once

#include "strata/Image.h"
#include "strata/ImageIO.h"

#include <filesystem>

namespace strata::io {

/// NIfTI, NRRD, MetaImage and single DICOM files through ITK's ImageIO classes.
Image readWithItk(const std::filesystem::path& path, const ReadLimits& limits);
void writeWithItk(const Image& image, const std::filesystem::path& path);

} // namespace strata::io

#pragma once

#include "strata/PixelType.h"

#include <itkImageIOBase.h>

#include <optional>

namespace strata::io {

/// The Strata pixel type a file's ITK component type is read into (widening where needed).
std::optional<PixelType> strataTypeFor(itk::IOComponentEnum component);
itk::IOComponentEnum itkComponentFor(PixelType type);

} // namespace strata::io

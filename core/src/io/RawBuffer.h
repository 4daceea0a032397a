#pragma once

#include "strata/Image.h"

#include <itkImageIOBase.h>

namespace strata::io {

/// Converts `count` components of ITK component type `component` at `src` into `dst`'s pixel type.
void convertRawInto(const void* src, itk::IOComponentEnum component, std::size_t count, Image& dst);

} // namespace strata::io

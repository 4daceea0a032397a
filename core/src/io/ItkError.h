#pragma once

#include <itkMacro.h>

#include <filesystem>
#include <string>

namespace strata::io {

/// ITK's exception text without its file/line decoration, on one line.
std::string itkReason(const itk::ExceptionObject& e);

} // namespace strata::io

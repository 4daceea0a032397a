#include "io/ItkPixelTypes.h"

namespace strata::io {

std::optional<PixelType> strataTypeFor(itk::IOComponentEnum component)
{
    using C = itk::IOComponentEnum;
    switch (component) {
    case C::UCHAR: return PixelType::UInt8;
    case C::CHAR:
    case C::SHORT: return PixelType::Int16;
    case C::USHORT: return PixelType::UInt16;
    case C::INT: return PixelType::Int32;
    case C::UINT:
    case C::LONG:
    case C::ULONG:
    case C::LONGLONG:
    case C::ULONGLONG:
    case C::FLOAT:
    case C::DOUBLE: return PixelType::Float32;
    default: return std::nullopt;
    }
}

itk::IOComponentEnum itkComponentFor(PixelType type)
{
    using C = itk::IOComponentEnum;
    switch (type) {
    case PixelType::UInt8: return C::UCHAR;
    case PixelType::Int16: return C::SHORT;
    case PixelType::UInt16: return C::USHORT;
    case PixelType::Int32: return C::INT;
    case PixelType::Float32: break;
    }
    return C::FLOAT;
}

} // namespace strata::io

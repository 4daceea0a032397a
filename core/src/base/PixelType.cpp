#include "strata/PixelType.h"

#include "strata/Error.h"

namespace strata {

std::size_t bytesPerComponent(PixelType type)
{
    return dispatchPixelType(type, [](auto v) { return sizeof(v); });
}

std::string_view pixelTypeName(PixelType type)
{
    switch (type) {
    case PixelType::UInt8: return "uint8";
    case PixelType::Int16: return "int16";
    case PixelType::UInt16: return "uint16";
    case PixelType::Int32: return "int32";
    case PixelType::Float32: return "float32";
    }
    return "unknown";
}

PixelType pixelTypeFromName(std::string_view name)
{
    for (PixelType t : {PixelType::UInt8, PixelType::Int16, PixelType::UInt16, PixelType::Int32, PixelType::Float32}) {
        if (pixelTypeName(t) == name) {
            return t;
        }
    }
    throw InvalidArgument("Unknown pixel type '" + std::string(name) +
                          "' (expected uint8, int16, uint16, int32 or float32).");
}

} // namespace strata

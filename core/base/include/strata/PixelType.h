#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace strata {

/// Scalar component type of an image's pixel buffer.
enum class PixelType { UInt8, Int16, UInt16, Int32, Float32 };

/// Size in bytes of one component of the given type.
[[nodiscard]] std::size_t bytesPerComponent(PixelType type);

/// Lower-case name ("uint8", "int16", "uint16", "int32", "float32").
[[nodiscard]] std::string_view pixelTypeName(PixelType type);

/// Parses a name produced by pixelTypeName(); throws InvalidArgument otherwise.
[[nodiscard]] PixelType pixelTypeFromName(std::string_view name);

template <typename T> struct PixelTypeOf;
template <> struct PixelTypeOf<std::uint8_t> { static constexpr PixelType value = PixelType::UInt8; };
template <> struct PixelTypeOf<std::int16_t> { static constexpr PixelType value = PixelType::Int16; };
template <> struct PixelTypeOf<std::uint16_t> { static constexpr PixelType value = PixelType::UInt16; };
template <> struct PixelTypeOf<std::int32_t> { static constexpr PixelType value = PixelType::Int32; };
template <> struct PixelTypeOf<float> { static constexpr PixelType value = PixelType::Float32; };

/// Calls fn(T{}) with T the C++ type matching `type`.
template <typename Fn> decltype(auto) dispatchPixelType(PixelType type, Fn&& fn)
{
    switch (type) {
    case PixelType::UInt8: return fn(std::uint8_t{});
    case PixelType::Int16: return fn(std::int16_t{});
    case PixelType::UInt16: return fn(std::uint16_t{});
    case PixelType::Int32: return fn(std::int32_t{});
    case PixelType::Float32: break;
    }
    return fn(float{});
}

} // namespace strata

#include "io/RawBuffer.h"

#include "strata/Error.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace strata::io {

namespace {

template <typename In> void convertFrom(const In* src, std::size_t count, Image& dst)
{
    dispatchPixelType(dst.pixelType(), [&](auto tag) {
        using Out = decltype(tag);
        auto out = dst.pixels<Out>();
        if constexpr (std::is_same_v<In, Out>) {
            std::memcpy(out.data(), src, count * sizeof(In));
        } else {
            std::transform(src, src + count, out.begin(), [](In v) { return static_cast<Out>(v); });
        }
    });
}

} // namespace

void convertRawInto(const void* src, itk::IOComponentEnum component, std::size_t count, Image& dst)
{
    using C = itk::IOComponentEnum;
    switch (component) {
    case C::UCHAR: return convertFrom(static_cast<const std::uint8_t*>(src), count, dst);
    case C::CHAR: return convertFrom(static_cast<const std::int8_t*>(src), count, dst);
    case C::SHORT: return convertFrom(static_cast<const std::int16_t*>(src), count, dst);
    case C::USHORT: return convertFrom(static_cast<const std::uint16_t*>(src), count, dst);
    case C::INT: return convertFrom(static_cast<const std::int32_t*>(src), count, dst);
    case C::UINT: return convertFrom(static_cast<const std::uint32_t*>(src), count, dst);
    case C::LONG: return convertFrom(static_cast<const long*>(src), count, dst);
    case C::ULONG: return convertFrom(static_cast<const unsigned long*>(src), count, dst);
    case C::LONGLONG: return convertFrom(static_cast<const long long*>(src), count, dst);
    case C::ULONGLONG: return convertFrom(static_cast<const unsigned long long*>(src), count, dst);
    case C::FLOAT: return convertFrom(static_cast<const float*>(src), count, dst);
    case C::DOUBLE: return convertFrom(static_cast<const double*>(src), count, dst);
    default: break;
    }
    throw IoError("Unsupported pixel component type in file.");
}

} // namespace strata::io

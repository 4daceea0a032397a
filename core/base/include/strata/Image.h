#pragma once

#include "strata/PixelType.h"

#include <array>
#include <cstddef>
#include <span>
#include <vector>

namespace strata {

using Size3 = std::array<std::size_t, 3>;
using Vec3 = std::array<double, 3>;
/// Row-major 3x3 matrix; column c is the world (LPS, mm) direction of index axis c.
using Mat3 = std::array<double, 9>;

inline constexpr Mat3 kIdentity3{1, 0, 0, 0, 1, 0, 0, 0, 1};

/// A 3D image in world coordinates (LPS, millimetres). A 2D image is a 3D image with size[2] == 1.
/// Pixels are stored x-fastest (index i + size[0] * (j + size[1] * k)), components interleaved.
class Image {
public:
    Image() = default;
    Image(Size3 size, PixelType type, int components = 1);

    [[nodiscard]] const Size3& size() const { return size_; }
    [[nodiscard]] PixelType pixelType() const { return type_; }
    [[nodiscard]] int components() const { return components_; }
    [[nodiscard]] std::size_t voxelCount() const { return size_[0] * size_[1] * size_[2]; }
    [[nodiscard]] std::size_t byteCount() const { return buffer_.size(); }
    [[nodiscard]] bool empty() const { return voxelCount() == 0; }
    [[nodiscard]] bool is2D() const { return size_[2] == 1; }

    [[nodiscard]] const Vec3& spacing() const { return spacing_; }
    [[nodiscard]] const Vec3& origin() const { return origin_; }
    [[nodiscard]] const Mat3& direction() const { return direction_; }
    void setSpacing(const Vec3& spacing);
    void setOrigin(const Vec3& origin) { origin_ = origin; }
    void setDirection(const Mat3& direction);
    /// Copies spacing, origin and direction from another image.
    void copyGeometryFrom(const Image& other);
    [[nodiscard]] bool sameGeometry(const Image& other, double tolerance = 1e-5) const;

    [[nodiscard]] Vec3 indexToWorld(const Vec3& index) const;
    [[nodiscard]] Vec3 worldToIndex(const Vec3& world) const;
    [[nodiscard]] double voxelVolume() const { return spacing_[0] * spacing_[1] * spacing_[2]; }

    [[nodiscard]] std::byte* data() { return buffer_.data(); }
    [[nodiscard]] const std::byte* data() const { return buffer_.data(); }

    /// Typed view of the buffer; throws InvalidArgument if T does not match pixelType().
    template <typename T> [[nodiscard]] std::span<T> pixels()
    {
        checkType(PixelTypeOf<T>::value);
        return {reinterpret_cast<T*>(buffer_.data()), voxelCount() * static_cast<std::size_t>(components_)};
    }
    template <typename T> [[nodiscard]] std::span<const T> pixels() const
    {
        checkType(PixelTypeOf<T>::value);
        return {reinterpret_cast<const T*>(buffer_.data()), voxelCount() * static_cast<std::size_t>(components_)};
    }

    [[nodiscard]] std::size_t linearIndex(std::size_t i, std::size_t j, std::size_t k) const
    {
        return i + size_[0] * (j + size_[1] * k);
    }
    /// Component c of voxel (i,j,k) as double, whatever the pixel type.
    [[nodiscard]] double valueAt(std::size_t i, std::size_t j, std::size_t k, int c = 0) const;
    /// Minimum and maximum over all components.
    [[nodiscard]] std::array<double, 2> minMax() const;

    /// A converted copy (values are cast, saturating for integer targets).
    [[nodiscard]] Image convertedTo(PixelType type) const;

private:
    void checkType(PixelType requested) const;

    Size3 size_{0, 0, 0};
    PixelType type_{PixelType::UInt8};
    int components_{1};
    Vec3 spacing_{1, 1, 1};
    Vec3 origin_{0, 0, 0};
    Mat3 direction_{kIdentity3};
    std::vector<std::byte> buffer_;
};

} // namespace strata

#include "strata/LabelMap.h"

#include "strata/Error.h"

#include <array>

namespace strata {

LabelMap::LabelMap(Image labels, LabelTable table) : image_(std::move(labels)), table_(std::move(table))
{
    if (image_.pixelType() != PixelType::UInt8 || image_.components() != 1) {
        throw InvalidArgument("A label map needs a single-component uint8 image, got " +
                              std::string(pixelTypeName(image_.pixelType())) + " with " +
                              std::to_string(image_.components()) + " component(s).");
    }
}

LabelMap LabelMap::like(const Image& reference, LabelTable table)
{
    Image img(reference.size(), PixelType::UInt8, 1);
    img.copyGeometryFrom(reference);
    return LabelMap(std::move(img), std::move(table));
}

std::map<int, std::size_t> LabelMap::voxelCounts() const
{
    std::array<std::size_t, 256> counts{};
    for (std::uint8_t v : ids()) {
        ++counts[v];
    }
    std::map<int, std::size_t> out;
    for (int id = 0; id < 256; ++id) {
        if (counts[static_cast<std::size_t>(id)] > 0) {
            out[id] = counts[static_cast<std::size_t>(id)];
        }
    }
    return out;
}

std::map<int, double> LabelMap::volumesMm3() const
{
    std::map<int, double> out;
    const double vv = image_.voxelVolume();
    for (const auto& [id, n] : voxelCounts()) {
        out[id] = static_cast<double>(n) * vv;
    }
    return out;
}

} // namespace strata

#pragma once

#include <cstdint>
#include <filesystem>
#include <istream>
#include <optional>

namespace strata::io {

struct ImageDimensions {
    std::uint64_t width{0};
    std::uint64_t height{0};
};

/// Width and height from the header of a PNG, JPEG, BMP or (first page of a) TIFF file, without decoding
/// the pixels; nullopt when the format is not one of those or the header cannot be parsed.
std::optional<ImageDimensions> probeImageDimensions(const std::filesystem::path& path);
/// The same from a stream positioned anywhere (it seeks from the start).
std::optional<ImageDimensions> probeImageDimensions(std::istream& in);

} // namespace strata::io

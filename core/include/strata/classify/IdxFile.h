#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

namespace strata::classify {

/// An IDX file (the MNIST / Fashion-MNIST format) of unsigned bytes: its dimensions and its data.
struct IdxFile {
    std::vector<std::uint32_t> dims; ///< e.g. {10000, 28, 28} for images, {10000} for labels
    std::vector<std::uint8_t> data;

    /// Reads plain or gzip-compressed (.gz) IDX files of type ubyte. Throws IoError naming the file.
    [[nodiscard]] static IdxFile read(const std::filesystem::path& path);
};

} // namespace strata::classify

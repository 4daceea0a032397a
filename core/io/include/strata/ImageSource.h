#pragma once

#include "strata/Image.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace strata {

/// One image of a batch: a file and the page inside it (multi-page TIFF; 0 for single images).
struct ImageRef {
    std::filesystem::path file;
    int page{0};
    int pageCount{1};
    [[nodiscard]] std::string name() const; ///< "scan.tif#3" for multi-page files, else the file name
};

/// The input of a batch pipeline (OCR, classification): an image file, a multi-page TIFF or a folder of them,
/// listed as single images that are read one at a time (memory stays flat for big batches).
class ImageSource {
public:
    /// Lists images in a stable order (folder entries sorted by name). Throws IoError when the input is missing,
    /// a folder holds no images, or a file is not an image format Strata reads.
    [[nodiscard]] static std::vector<ImageRef> list(const std::filesystem::path& input);
    /// Reads one image as 8-bit grey. Refuses images over maxPixels from the header, before decoding.
    /// Throws IoError (unreadable, corrupt, empty) or InvalidArgument (too large).
    [[nodiscard]] static Image read(const ImageRef& ref, std::uint64_t maxPixels);
    /// Decodes an image sent as bytes (a network request) to 8-bit grey. Only formats whose size can be read
    /// from the header before decoding are accepted (PNG, JPEG, BMP, TIFF); larger than maxPixels → InvalidArgument;
    /// other formats, corrupt or empty data → InvalidArgument naming `what`.
    [[nodiscard]] static Image decode(std::string_view bytes, std::uint64_t maxPixels,
                                      const std::string& what = "the image");
};

} // namespace strata

#pragma once

#include <QImage>

#include <filesystem>
#include <string>

namespace strata::ui {

/// Finds and reads one image of a batch pipeline's input (image, folder, multi-page TIFF, PDF) by the name the
/// pipeline recorded for it ("scan.tif#3", "doc.pdf#1", "cat.png"). Safe to call off the GUI thread.
class BatchImageReader {
public:
    /// The image as 8-bit grey, or a null QImage when the input or the image in it is gone or unreadable.
    /// With maxSide > 0 the image is scaled down to fit that many pixels (thumbnails).
    static QImage read(const std::filesystem::path& input, const std::string& name, int maxSide = 0);
};

} // namespace strata::ui

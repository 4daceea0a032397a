#pragma once

#include "strata/Image.h"
#include "strata/ImageIO.h"

#include <filesystem>

namespace strata::io {

/// The readers and writers of 2D raster images (PNG, JPEG, TIFF, BMP) and videos, which need OpenCV. readImage
/// and writeImage reach them only through rasterCodecs(), so a program that links strata_io without them loads
/// no OpenCV (with GDAL, GStreamer, FFmpeg: some 250 shared libraries). strata_core links strata_io_raster,
/// whose rasterCodecs() gives OpenCV's; a program without it defines rasterCodecs() itself (the light strata-cli
/// hands the command to strata-cli-full there). Called before anything is written.
struct RasterCodecs {
    Image (*read)(const std::filesystem::path& path, const ReadLimits& limits);
    void (*write)(const Image& image, const std::filesystem::path& path);
    Image (*readVideo)(const std::filesystem::path& path, const ReadLimits& limits);
};

[[nodiscard]] const RasterCodecs& rasterCodecs();

} // namespace strata::io

#include "strata/ImageIO.h"

#include "io/AtomicOutput.h"
#include "io/DecodedDicomCopies.h"
#include "io/DicomFileHeader.h"
#include "io/DicomMultiFrameIdentity.h"
#include "io/DicomSeriesReader.h"
#include "io/ItkImageIO.h"
#include "io/LabelTableJson.h"
#include "io/TextFiles.h"
#include "strata/Error.h"
#include "strata/JsonLimits.h"
#include "strata/io/RasterCodecs.h"

#include <nlohmann/json.hpp>

#include <fstream>

namespace strata {

using io::quoted;

namespace {

void requireReadableFile(const std::filesystem::path& path)
{
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (!std::filesystem::exists(status)) {
        throw IoError("Cannot read " + quoted(path) + ": no such file or directory.");
    }
    if (std::filesystem::is_regular_file(status)) {
        if (std::filesystem::file_size(path, ec) == 0) {
            throw IoError("Cannot read " + quoted(path) + ": the file is empty.");
        }
        std::ifstream probe(path, std::ios::binary);
        if (!probe) {
            throw IoError("Cannot read " + quoted(path) + ": permission denied or unreadable.");
        }
    }
}

} // namespace

Image readImage(const std::filesystem::path& path, const ReadLimits& limits)
{
    return readImage(path, limits, nullptr);
}

Image readImage(const std::filesystem::path& path, const ReadLimits& limits, dicom::DicomIdentity* dicomIdentity)
{
    if (dicomIdentity) {
        *dicomIdentity = {};
    }
    requireReadableFile(path);
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
        return io::readDicomSeries(path, limits, dicomIdentity);
    }
    switch (formatFromPath(path)) {
    case ImageFormat::Png:
    case ImageFormat::Jpeg:
    case ImageFormat::Tiff:
    case ImageFormat::Bmp: return io::rasterCodecs().read(path, limits);
    case ImageFormat::Video: return io::rasterCodecs().readVideo(path, limits);
    case ImageFormat::Nifti:
    case ImageFormat::Nrrd:
    case ImageFormat::MetaImage:
    case ImageFormat::DicomSeries:
    case ImageFormat::Unknown: break; // ITK sniffs unknown extensions (e.g. DICOM files without one)
    }
    const auto format = formatFromPath(path);
    if (format != ImageFormat::DicomSeries && format != ImageFormat::Unknown) {
        return io::readWithItk(path, limits);
    }
    io::refuseDicomPixelDataPastEnd(path);
    // compressed pixel data is decoded in a child process, never here (DecodedDicomCopies.h)
    const io::DecodedDicomCopies copies(path, "Cannot read " + quoted(path), limits.maxBytes);
    try {
        Image image = io::readWithItk(copies.readable(), limits);
        if (dicomIdentity && image.size()[2] > 1) {
            *dicomIdentity = io::multiFrameIdentity(copies.readable(), image.size()[2]); // one multi-frame file
        }
        return image;
    } catch (const IoError& e) {
        throw IoError(copies.restored(e.what()));
    }
}

void writeImage(const Image& image, const std::filesystem::path& path)
{
    if (image.empty()) {
        throw IoError("Cannot write " + quoted(path) + ": the image is empty.");
    }
    const auto format = formatFromPath(path);
    if (format == ImageFormat::Unknown || format == ImageFormat::DicomSeries || format == ImageFormat::Video) {
        throw IoError("Cannot write " + quoted(path) +
                      ": unsupported output format (use .nii, .nii.gz, .nrrd, .nhdr, .mha, .mhd, .png, .jpg, .tif or .bmp).");
    }
    const bool raster = format == ImageFormat::Png || format == ImageFormat::Jpeg || format == ImageFormat::Tiff ||
                        format == ImageFormat::Bmp;
    const io::RasterCodecs* codecs = raster ? &io::rasterCodecs() : nullptr; // before the staging file exists
    io::AtomicOutput out(path);
    if (codecs) {
        codecs->write(image, out.stagingPath());
    } else {
        io::writeWithItk(image, out.stagingPath());
    }
    out.commit();
}

void writeLabelMap(const LabelMap& labels, const std::filesystem::path& path)
{
    writeImage(labels.image(), path);
    const std::filesystem::path sidecar = path.string() + ".labels.json";
    io::AtomicOutput out(sidecar);
    {
        std::ofstream f(out.stagingPath());
        f << io::labelTableToJson(labels.table()).dump(2) << '\n';
        if (!f) {
            throw IoError("Cannot write " + quoted(sidecar) + ": write failed.");
        }
    }
    out.commit();
}

LabelMap readLabelMap(const std::filesystem::path& path)
{
    Image image = readImage(path);
    if (image.components() != 1) {
        throw IoError("Cannot read label map " + quoted(path) + ": it has several components per pixel.");
    }
    if (image.pixelType() != PixelType::UInt8) {
        const auto [lo, hi] = image.minMax();
        if (lo < 0 || hi > 255) {
            throw IoError("Cannot read label map " + quoted(path) + ": label values must lie in 0..255.");
        }
        image = image.convertedTo(PixelType::UInt8);
    }
    LabelTable table;
    const std::filesystem::path sidecar = path.string() + ".labels.json";
    std::error_code ec;
    if (std::filesystem::exists(sidecar, ec)) {
        try {
            table = io::labelTableFromJson(readJsonFile(sidecar));
        } catch (const nlohmann::json::exception& e) {
            throw IoError("Cannot read label table " + quoted(sidecar) + ": " + e.what());
        }
    }
    return LabelMap(std::move(image), std::move(table));
}

} // namespace strata

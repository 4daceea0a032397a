#include "io/DicomMetaCheck.h"
#include "io/DicomSeriesReader.h"
#include "io/ImageHeaderProbe.h"
#include "io/ItkError.h"
#include "io/VideoReader.h"
#include "strata/Error.h"
#include "strata/ImageIO.h"

#include <itkImageIOFactory.h>
#include <opencv2/videoio.hpp>

#include <algorithm>

namespace strata {

Size3 readImageSize(const std::filesystem::path& path)
{
    std::error_code ec;
    const auto format = formatFromPath(path);
    // PNG, JPEG, TIFF and BMP too: a small file may declare an enormous image, and this is what callers check
    // before they decode (the server answers its limits from here, in the request's thread).
    if (std::filesystem::is_directory(path, ec)) {
        return io::dicomSeriesSize(path); // headers only
    }
    if (format == ImageFormat::Png || format == ImageFormat::Jpeg || format == ImageFormat::Tiff ||
        format == ImageFormat::Bmp) {
        const auto dims = io::probeImageDimensions(path);
        if (!dims) {
            throw IoError("Cannot read '" + path.string() + "': not a " + formatName(format) +
                          " file, or its header is damaged.");
        }
        return {static_cast<std::size_t>(dims->width), static_cast<std::size_t>(dims->height), 1};
    }
    if (format == ImageFormat::Video) { // the container's frame size and count: no frame is decoded
        const io::VideoReader video(path);
        if (!video.isOpened() || video.width() < 1 || video.height() < 1) {
            throw IoError("Cannot read '" + path.string() + "': not a video OpenCV can decode, or corrupt.");
        }
        return {static_cast<std::size_t>(video.width()), static_cast<std::size_t>(video.height()),
                static_cast<std::size_t>(std::max(1.0, video.frameCount()))};
    }
    if (!std::filesystem::is_regular_file(path, ec)) {
        throw IoError("Cannot read '" + path.string() + "': no such file.");
    }
    const bool maybeDicom = format == ImageFormat::DicomSeries || format == ImageFormat::Unknown;
    io::refuseDamagedDicomMeta(path, maybeDicom); // ITK offers files to GDCM
    if (maybeDicom) {
        if (const auto size = io::dicomFileSize(path)) return *size; // headers only: ITK's GDCM reader decodes
    }
    try {
        itk::ImageIOBase::Pointer io =
            itk::ImageIOFactory::CreateImageIO(path.string().c_str(), itk::IOFileModeEnum::ReadMode);
        if (!io) {
            throw IoError("Cannot read '" + path.string() + "': not an image format Strata knows.");
        }
        io->SetFileName(path.string());
        io->ReadImageInformation();
        Size3 size{1, 1, 1};
        for (unsigned a = 0; a < std::min(io->GetNumberOfDimensions(), 3u); ++a) {
            size[a] = io->GetDimensions(a);
        }
        return size;
    } catch (const itk::ExceptionObject& e) {
        throw IoError("Cannot read '" + path.string() + "': " + io::itkReason(e));
    }
}

} // namespace strata

#include "io/ItkError.h"
#include "strata/core/Error.h"
#include "strata/core/ImageIO.h"

#include <itkImageIOFactory.h>

namespace strata {

Size3 readImageSize(const std::filesystem::path& path)
{
    std::error_code ec;
    const auto format = formatFromPath(path);
    if (std::filesystem::is_directory(path, ec) || format == ImageFormat::Png || format == ImageFormat::Jpeg ||
        format == ImageFormat::Tiff || format == ImageFormat::Bmp) {
        return readImage(path).size();
    }
    if (!std::filesystem::is_regular_file(path, ec)) {
        throw IoError("Cannot read '" + path.string() + "': no such file.");
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

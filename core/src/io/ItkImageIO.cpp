#include "io/ItkImageIO.h"

#include "io/GdcmWarningCapture.h"
#include "io/DicomMetaCheck.h"
#include "io/ItkError.h"
#include "io/ItkPixelTypes.h"
#include "io/RawBuffer.h"
#include "io/TextFiles.h"
#include "io/TruncationCheck.h"
#include "strata/Error.h"
#include "strata/ImageIO.h"

#include <itkImageIOFactory.h>
#include <itkImageIORegion.h>

#include <string>
#include <vector>

namespace strata::io {

namespace {

bool wantsCompression(const std::filesystem::path& path)
{
    const std::string name = path.filename().string();
    return name.ends_with(".gz") || name.ends_with(".nrrd") || name.ends_with(".mha");
}

Image readInformationAndPixels(itk::ImageIOBase& io, const std::filesystem::path& path, const ReadLimits& limits)
{
    io.SetFileName(path.string());
    io.ReadImageInformation();

    const unsigned nd = io.GetNumberOfDimensions();
    if (nd < 2 || nd > 4) {
        throw IoError("Cannot read " + quoted(path) + ": images with " + std::to_string(nd) +
                      " dimensions are not supported (2D or 3D only).");
    }
    if (nd == 4 && io.GetDimensions(3) != 1) {
        throw IoError("Cannot read " + quoted(path) + ": it is a 4D series of " + std::to_string(io.GetDimensions(3)) +
                      " volumes; Strata reads single 2D or 3D images.");
    }
    Size3 size{1, 1, 1};
    const unsigned spatial = std::min(nd, 3u);
    for (unsigned a = 0; a < spatial; ++a) {
        size[a] = io.GetDimensions(a);
        if (size[a] == 0) {
            throw IoError("Cannot read " + quoted(path) + ": its header gives axis " + std::to_string(a) + " a size of 0.");
        }
    }
    const unsigned components = io.GetNumberOfComponents();
    if (components < 1 || components > 4) {
        throw IoError("Cannot read " + quoted(path) + ": " + std::to_string(components) +
                      " components per pixel are not supported (1 to 4).");
    }
    const auto component = io.GetComponentType();
    const auto type = strataTypeFor(component);
    if (!type) {
        throw IoError("Cannot read " + quoted(path) + ": its pixel component type '" +
                      itk::ImageIOBase::GetComponentTypeAsString(component) + "' is not supported.");
    }
    // Guard against absurd headers before anything is allocated (overflow-safe).
    const long double fileBytes = static_cast<long double>(size[0]) * static_cast<long double>(size[1]) *
                                  static_cast<long double>(size[2]) * components * io.GetComponentSize();
    if (fileBytes > static_cast<long double>(limits.maxBytes)) {
        throw IoError("Cannot read " + quoted(path) + ": its header declares " + std::to_string(size[0]) + "x" +
                      std::to_string(size[1]) + "x" + std::to_string(size[2]) + " pixels (" +
                      std::to_string(static_cast<unsigned long long>(fileBytes / (1 << 20))) +
                      " MiB), more than the limit of " + std::to_string(limits.maxBytes >> 20) + " MiB.");
    }

    Image image(size, *type, static_cast<int>(components));
    Vec3 spacing{1, 1, 1};
    Vec3 origin{0, 0, 0};
    Mat3 direction = kIdentity3;
    for (unsigned a = 0; a < spatial; ++a) {
        spacing[a] = io.GetSpacing(a);
        origin[a] = io.GetOrigin(a);
        const std::vector<double> column = io.GetDirection(a);
        for (unsigned r = 0; r < spatial && r < column.size(); ++r) {
            direction[r * 3 + a] = column[r];
        }
    }
    try {
        image.setSpacing(spacing);
        image.setDirection(direction);
    } catch (const InvalidArgument& e) {
        throw IoError("Cannot read " + quoted(path) + ": " + e.what());
    }
    image.setOrigin(origin);

    itk::ImageIORegion region(nd);
    for (unsigned a = 0; a < nd; ++a) {
        region.SetIndex(a, 0);
        region.SetSize(a, io.GetDimensions(a));
    }
    io.SetIORegion(region);
    const std::size_t count = image.voxelCount() * components;
    checkPixelDataComplete(path, static_cast<std::uint64_t>(count) * io.GetComponentSize());
    if (itkComponentFor(*type) == component) {
        io.Read(image.data());
    } else {
        std::vector<std::byte> raw(count * io.GetComponentSize());
        io.Read(raw.data());
        convertRawInto(raw.data(), component, count, image);
    }
    return image;
}

} // namespace

Image readWithItk(const std::filesystem::path& path, const ReadLimits& limits)
{
    refuseDamagedDicomMeta(path, formatFromPath(path) == ImageFormat::DicomSeries || formatFromPath(path) == ImageFormat::Unknown); // ITK offers files to GDCM
    try {
        GdcmWarningCapture gdcmWarnings; // DICOM files: GDCM only warns about truncation
        itk::ImageIOBase::Pointer io =
            itk::ImageIOFactory::CreateImageIO(path.string().c_str(), itk::IOFileModeEnum::ReadMode);
        if (!io) {
            throw IoError("Cannot read " + quoted(path) +
                          ": it is not a recognised image file (unknown format or corrupt header).");
        }
        Image image = readInformationAndPixels(*io, path, limits);
        if (gdcmWarnings.sawIncompletePixelData()) {
            throw IoError("Cannot read " + quoted(path) + ": the DICOM file is truncated (incomplete pixel data).");
        }
        return image;
    } catch (const itk::ExceptionObject& e) {
        throw IoError("Cannot read " + quoted(path) + ": " + itkReason(e) + ".");
    } catch (const std::bad_alloc&) {
        throw IoError("Cannot read " + quoted(path) + ": not enough memory for its pixels.");
    }
}

void writeWithItk(const Image& image, const std::filesystem::path& path)
{
    try {
        itk::ImageIOBase::Pointer io =
            itk::ImageIOFactory::CreateImageIO(path.string().c_str(), itk::IOFileModeEnum::WriteMode);
        if (!io) {
            throw IoError("Cannot write " + quoted(path) + ": no writer for this file extension.");
        }
        io->SetNumberOfDimensions(3);
        itk::ImageIORegion region(3);
        for (unsigned a = 0; a < 3; ++a) {
            io->SetDimensions(a, static_cast<unsigned>(image.size()[a]));
            io->SetSpacing(a, image.spacing()[a]);
            io->SetOrigin(a, image.origin()[a]);
            std::vector<double> column(3);
            for (unsigned r = 0; r < 3; ++r) {
                column[r] = image.direction()[r * 3 + a];
            }
            io->SetDirection(a, column);
            region.SetIndex(a, 0);
            region.SetSize(a, image.size()[a]);
        }
        io->SetComponentType(itkComponentFor(image.pixelType()));
        io->SetNumberOfComponents(static_cast<unsigned>(image.components()));
        using P = itk::IOPixelEnum;
        io->SetPixelType(image.components() == 1 ? P::SCALAR
                         : image.components() == 3 ? P::RGB
                         : image.components() == 4 ? P::RGBA
                                                   : P::VECTOR);
        io->SetUseCompression(wantsCompression(path));
        io->SetFileName(path.string());
        io->SetIORegion(region);
        io->Write(image.data());
    } catch (const itk::ExceptionObject& e) {
        throw IoError("Cannot write " + quoted(path) + ": " + itkReason(e) + ".");
    }
    // NIfTI's writer reports a short write (disk full, a file size limit) on stderr and carries on: read the file
    // back as far as its pixel data goes, so that a truncated file is never committed as a result.
    try {
        checkPixelDataComplete(path, image.byteCount());
    } catch (const IoError&) {
        throw IoError("Cannot write " + quoted(path) + ": the file came out incomplete (is the disk full, or a file size "
                      "limit reached?).");
    }
}

} // namespace strata::io

#include "io/DicomSeriesReader.h"

#include "io/ItkError.h"
#include "io/ItkPixelTypes.h"
#include "strata/core/Error.h"

#include <itkGDCMImageIO.h>
#include <itkGDCMSeriesFileNames.h>
#include <itkImage.h>
#include <itkImageSeriesReader.h>

#include <algorithm>
#include <cstring>

namespace strata::io {

namespace {

std::string quoted(const std::filesystem::path& path)
{
    return "'" + path.string() + "'";
}

template <typename T>
Image readSeriesAs(const std::vector<std::string>& files, itk::GDCMImageIO* io, int components)
{
    using ItkImage = itk::Image<T, 3>;
    auto reader = itk::ImageSeriesReader<ItkImage>::New();
    reader->SetImageIO(io);
    reader->SetFileNames(files);
    reader->Update();
    const ItkImage* itkImage = reader->GetOutput();
    const auto region = itkImage->GetLargestPossibleRegion();
    Size3 size{region.GetSize(0), region.GetSize(1), region.GetSize(2)};
    Image image(size, PixelTypeOf<T>::value, components);
    std::memcpy(image.data(), itkImage->GetBufferPointer(), image.byteCount());
    Vec3 spacing{};
    Vec3 origin{};
    Mat3 direction{};
    for (unsigned a = 0; a < 3; ++a) {
        spacing[a] = itkImage->GetSpacing()[a];
        origin[a] = itkImage->GetOrigin()[a];
        for (unsigned c = 0; c < 3; ++c) {
            direction[a * 3 + c] = itkImage->GetDirection()(a, c);
        }
    }
    image.setSpacing(spacing);
    image.setOrigin(origin);
    image.setDirection(direction);
    return image;
}

} // namespace

std::vector<DicomSeriesInfo> findDicomSeries(const std::filesystem::path& directory)
{
    auto names = itk::GDCMSeriesFileNames::New();
    names->SetUseSeriesDetails(true);
    names->SetRecursive(false);
    names->SetDirectory(directory.string());
    std::vector<DicomSeriesInfo> series;
    for (const std::string& uid : names->GetSeriesUIDs()) {
        series.push_back({uid, names->GetFileNames(uid)});
    }
    std::stable_sort(series.begin(), series.end(),
                     [](const DicomSeriesInfo& a, const DicomSeriesInfo& b) { return a.files.size() > b.files.size(); });
    return series;
}

Image readDicomSeries(const std::filesystem::path& directory, const ReadLimits& limits)
{
    std::error_code ec;
    if (!std::filesystem::is_directory(directory, ec)) {
        throw IoError("Cannot read DICOM series " + quoted(directory) + ": not a directory.");
    }
    try {
        const auto series = findDicomSeries(directory);
        if (series.empty() || series.front().files.empty()) {
            throw IoError("Cannot read " + quoted(directory) + ": the directory holds no readable DICOM series.");
        }
        const auto& files = series.front().files;
        auto io = itk::GDCMImageIO::New();
        io->SetFileName(files.front());
        io->ReadImageInformation();
        const unsigned components = io->GetNumberOfComponents();
        if (components != 1 && components != 3) {
            throw IoError("Cannot read " + quoted(directory) + ": DICOM pixels with " + std::to_string(components) +
                          " components are not supported.");
        }
        const long double bytes = static_cast<long double>(io->GetDimensions(0)) * io->GetDimensions(1) *
                                  static_cast<long double>(files.size()) * components * 4;
        if (bytes > static_cast<long double>(limits.maxBytes)) {
            throw IoError("Cannot read " + quoted(directory) + ": the series is larger than the limit of " +
                          std::to_string(limits.maxBytes >> 20) + " MiB.");
        }
        if (components == 3) {
            // Colour DICOM (rare in MR): ITK converts it to grey luminance.
            return readSeriesAs<float>(files, io, 1);
        }
        const auto type = strataTypeFor(io->GetComponentType()).value_or(PixelType::Float32);
        return dispatchPixelType(type, [&](auto tag) { return readSeriesAs<decltype(tag)>(files, io, 1); });
    } catch (const itk::ExceptionObject& e) {
        throw IoError("Cannot read DICOM series in " + quoted(directory) + ": " + itkReason(e) + ".");
    } catch (const std::bad_alloc&) {
        throw IoError("Cannot read DICOM series in " + quoted(directory) + ": not enough memory.");
    }
}

} // namespace strata::io

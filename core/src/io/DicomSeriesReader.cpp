#include "io/DicomSeriesReader.h"

#include "io/DecodedDicomCopies.h"
#include "io/DicomFileHeader.h"
#include "io/DicomMetaCheck.h"
#include "io/DicomMultiFrameIdentity.h"
#include "io/DicomSeriesCommon.h"
#include "io/DicomSeriesFastReader.h"
#include "io/GdcmWarningCapture.h"
#include "io/ItkError.h"
#include "io/ItkPixelTypes.h"
#include "io/TextFiles.h"
#include "strata/Error.h"

#include <gdcmDirectory.h>
#include <gdcmSerieHelper.h>
#include <gdcmStringFilter.h>
#include <itkGDCMImageIO.h>
#include <itkImage.h>
#include <itkImageSeriesReader.h>
#include <itkMetaDataObject.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace strata::io {

namespace {

/// gdcm::SerieHelper given headers Strata has read (up to the pixel data) instead of a whole directory. Its own
/// AddFileName reads each file with gdcm::ImageReader, which decodes compressed pixel data on the way (to tell lossy
/// from lossless) - where GDCM's codecs assert on damaged data - and keeps every file's pixel data in memory; the
/// grouping and ordering need only the header.
class SeriesScan : public gdcm::SerieHelper {
public:
    void add(const DicomFileHeader& header)
    {
        gdcm::SmartPointer<gdcm::FileWithName> file = new gdcm::FileWithName(const_cast<gdcm::File&>(header.file()));
        file->filename = header.filename();
        (void)AddFile(*file); // the series' list holds it by reference count
    }
};

/// A series whose slice positions jump (a missing or unreadable file), repeat (two acquisitions) or vary by more than
/// 10 % must not be read as a regular volume: each is refused with what was found where.
template <typename Dictionaries, typename Direction>
void checkSliceSpacing(const Dictionaries& dicts, const Direction& direction, const std::vector<std::string>& files)
{
    std::vector<double> positions;
    for (const auto* dict : dicts) {
        std::string ipp;
        if (!itk::ExposeMetaData<std::string>(*dict, "0020|0032", ipp)) {
            return; // no positions: nothing to check
        }
        double p[3]{0, 0, 0};
        if (std::sscanf(ipp.c_str(), "%lf\\%lf\\%lf", &p[0], &p[1], &p[2]) != 3) {
            return;
        }
        positions.push_back(p[0] * direction(0, 2) + p[1] * direction(1, 2) + p[2] * direction(2, 2));
    }
    const std::string problem = sliceSpacingProblem(positions, files);
    if (!problem.empty()) {
        throw IoError(problem);
    }
}

/// The series' identity from the headers GDCM read with the slices (one dictionary per slice, in slice order).
template <typename Dictionaries> dicom::DicomIdentity identityOf(const Dictionaries& dicts)
{
    return dicomIdentityOf(dicts.size(), [&](std::size_t k, const char* key) {
        std::string value;
        itk::ExposeMetaData<std::string>(*dicts[k], key, value);
        return trimmedDicomValue(value);
    });
}

template <typename T>
Image readSeriesAs(const std::vector<std::string>& files, itk::GDCMImageIO* io, int components,
                   dicom::DicomIdentity* identity)
{
    using ItkImage = itk::Image<T, 3>;
    auto reader = itk::ImageSeriesReader<ItkImage>::New();
    reader->GlobalWarningDisplayOff(); // slice spacing is checked below, with a message people understand
    reader->SetImageIO(io);
    reader->SetFileNames(files);
    reader->Update();
    const ItkImage* itkImage = reader->GetOutput();
    checkSliceSpacing(*reader->GetMetaDataDictionaryArray(), itkImage->GetDirection(), files);
    const std::size_t slices = itkImage->GetLargestPossibleRegion().GetSize(2);
    if (identity && reader->GetMetaDataDictionaryArray()->size() == slices) {
        *identity = identityOf(*reader->GetMetaDataDictionaryArray()); // one file per slice
    } else if (identity && files.size() == 1) {
        *identity = multiFrameIdentity(files.front(), slices); // one multi-frame file: its frames
    }
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

Image readDicomSeriesImpl(const std::filesystem::path& directory, const ReadLimits& limits,
                          dicom::DicomIdentity* identity, bool fast);
Image readDicomSeriesFrom(const std::filesystem::path& directory, const ReadLimits& limits,
                          dicom::DicomIdentity* identity, bool fast);

} // namespace

std::vector<DicomSeriesInfo> findDicomSeries(const std::filesystem::path& directory)
{
    // GDCM's series scan (itk::GDCMSeriesFileNames over gdcm::SerieHelper, done here the same way) reads each file
    // whole: only files that start like DICOM are given to it, each checked first - damaged structure, or more pixel
    // data declared than held (a small file may claim 4 GiB), is refused from its header before GDCM parses it.
    SeriesScan scan;
    scan.SetUseSeriesDetails(true);
    scan.CreateDefaultUniqueSeriesIdentifier();
    scan.Clear();
    scan.SetUseSeriesDetails(true);
    gdcm::Directory listing;
    listing.Load(directory.string(), false);
    for (const std::string& name : listing.GetFilenames()) {
        DicomFileHeader header;
        // what is not a DICOM image stays out (gdcm::ImageReader, which SerieHelper reads with, refuses it too)
        if (!header.read(name)) continue;
        if (header.pixelDataPastEnd()) refuseSeriesPixelDataPastEnd(directory, {&header});
        scan.add(header);
    }
    std::vector<DicomSeriesInfo> series;
    for (gdcm::FileList* files = scan.GetFirstSingleSerieUIDFileSet(); files; files = scan.GetNextSingleSerieUIDFileSet()) {
        if (files->empty()) continue;
        DicomSeriesInfo info{scan.CreateUniqueSeriesIdentifier((*files)[0]), {}};
        scan.OrderFileList(files);
        for (const auto& file : *files) info.files.push_back(file->filename);
        series.push_back(std::move(info));
    }
    std::stable_sort(series.begin(), series.end(),
                     [](const DicomSeriesInfo& a, const DicomSeriesInfo& b) { return a.files.size() > b.files.size(); });
    return series;
}

namespace {

/// Columns, rows and frames (Number of Frames, 1 when absent) of a header.
Size3 headerSize(const DicomFileHeader& header)
{
    gdcm::StringFilter sf;
    sf.SetFile(header.file());
    const auto number = [&](std::uint16_t element) {
        const std::string v = trimmedDicomValue(sf.ToString(gdcm::Tag(0x0028, element)));
        return v.empty() ? 0ul : std::strtoul(v.c_str(), nullptr, 10);
    };
    return {number(0x0011), number(0x0010), std::max(1ul, number(0x0008))};
}

} // namespace

Size3 dicomSeriesSize(const std::filesystem::path& directory)
{
    const auto series = findDicomSeries(directory);
    DicomFileHeader first;
    if (series.empty() || series.front().files.empty() || !first.read(series.front().files.front())) {
        throw IoError("Cannot read " + quoted(directory) + ": the directory holds no readable DICOM series.");
    }
    const Size3 size = headerSize(first);
    return {size[0], size[1], series.front().files.size() * size[2]};
}

std::optional<Size3> dicomFileSize(const std::filesystem::path& file)
{
    DicomFileHeader header;
    if (!header.read(file.string())) return std::nullopt;
    return headerSize(header);
}

Image readDicomSeries(const std::filesystem::path& directory, const ReadLimits& limits, dicom::DicomIdentity* identity)
{
    return readDicomSeriesImpl(directory, limits, identity, true);
}

Image readDicomSeriesWithItk(const std::filesystem::path& directory, const ReadLimits& limits,
                             dicom::DicomIdentity* identity)
{
    return readDicomSeriesImpl(directory, limits, identity, false);
}

namespace {

Image readDicomSeriesImpl(const std::filesystem::path& directory, const ReadLimits& limits,
                          dicom::DicomIdentity* identity, bool fast)
{
    std::error_code ec;
    if (!std::filesystem::is_directory(directory, ec)) {
        throw IoError("Cannot read DICOM series " + quoted(directory) + ": not a directory.");
    }
    // compressed pixel data is decoded in a child process, never here (DecodedDicomCopies.h)
    const DecodedDicomCopies copies(directory, "Cannot read DICOM series in " + quoted(directory), limits.maxBytes);
    try {
        return readDicomSeriesFrom(copies.readable(), limits, identity, fast);
    } catch (const IoError& e) {
        throw IoError(copies.restored(e.what()));
    }
}

/// readDicomSeriesImpl on a folder without compressed pixel data.
Image readDicomSeriesFrom(const std::filesystem::path& directory, const ReadLimits& limits,
                          dicom::DicomIdentity* identity, bool fast)
{
    try {
        GdcmWarningCapture warnings; // GDCM reads truncated files with only a warning
        if (fast) {
            // One pass per file for the plain case (see DicomSeriesFastReader.h); anything else is read below.
            if (auto image = readDicomSeriesFast(directory, limits, identity, warnings)) {
                return std::move(*image);
            }
            warnings.rearm();
        }
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
            Image image = readSeriesAs<float>(files, io, 1, identity);
            if (warnings.sawIncompletePixelData()) {
                throw IoError("Cannot read DICOM series in " + quoted(directory) +
                              ": a file of the series is truncated (incomplete pixel data).");
            }
            return image;
        }
        const auto type = strataTypeFor(io->GetComponentType()).value_or(PixelType::Float32);
        Image image = dispatchPixelType(type, [&](auto tag) { return readSeriesAs<decltype(tag)>(files, io, 1, identity); });
        if (warnings.sawIncompletePixelData()) {
            throw IoError("Cannot read DICOM series in " + quoted(directory) +
                          ": a file of the series is truncated (incomplete pixel data).");
        }
        return image;
    } catch (const itk::ExceptionObject& e) {
        throw IoError("Cannot read DICOM series in " + quoted(directory) + ": " + itkReason(e) + ".");
    } catch (const IoError& e) {
        const std::string what = e.what();
        if (what.rfind("Cannot", 0) == 0) {
            throw;
        }
        throw IoError("Cannot read DICOM series in " + quoted(directory) + ": " + what + ".");

    } catch (const std::bad_alloc&) {
        throw IoError("Cannot read DICOM series in " + quoted(directory) + ": not enough memory.");
    }
}

} // namespace

} // namespace strata::io

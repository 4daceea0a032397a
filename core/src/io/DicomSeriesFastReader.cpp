#include "io/DicomSeriesFastReader.h"

#include "io/DicomSeriesCommon.h"
#include "io/GdcmWarningCapture.h"
#include "io/ItkPixelTypes.h"
#include "io/TextFiles.h"
#include "strata/core/Error.h"

#include <gdcmDirectory.h>
#include <gdcmImageHelper.h>
#include <gdcmImageReader.h>
#include <gdcmReader.h>
#include <gdcmRescaler.h>
#include <gdcmStringFilter.h>
#include <itkGDCMImageIO.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>

namespace strata::io {

namespace {

/// One file's header, read up to its pixel data.
struct Header {
    std::string filename;
    /// Held by a smart pointer: a gdcm::StringFilter given the file holds it by reference count too, and deletes
    /// one that lives elsewhere when it lets go.
    gdcm::SmartPointer<gdcm::File> file;
};

/// The series key of gdcm::SerieHelper::CreateUniqueSeriesIdentifier with ITK's series details (GDCMSeriesFileNames
/// with SetUseSeriesDetails(true)): the series UID refined by series number, sequence name, slice thickness, rows and
/// columns, every character but letters, digits and '.' removed.
std::string seriesKey(const gdcm::File& file)
{
    gdcm::StringFilter sf;
    sf.SetFile(file);
    const std::string uid = sf.ToString(gdcm::Tag(0x0020, 0x000e));
    std::string id = uid;
    for (const gdcm::Tag& tag : {gdcm::Tag(0x0020, 0x0011), gdcm::Tag(0x0018, 0x0024), gdcm::Tag(0x0018, 0x0050),
                                 gdcm::Tag(0x0028, 0x0010), gdcm::Tag(0x0028, 0x0011)}) {
        const std::string s = sf.ToString(tag);
        if (id == uid && !s.empty()) id += ".";
        id += s;
    }
    std::string kept;
    for (char c : id) {
        if (c == '.' || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')) kept += c;
    }
    return kept;
}

/// Reads a header up to the pixel data; false for what is not a DICOM image (no rows or columns). Whether the
/// chosen series' files hold pixels is known when they are decoded (a file that does not decode: the ITK path).
bool readHeader(const std::string& filename, Header& out)
{
    gdcm::Reader reader;
    reader.SetFileName(filename.c_str());
    if (!reader.ReadUpToTag(gdcm::Tag(0x7fe0, 0x0010))) return false;
    const gdcm::DataSet& ds = reader.GetFile().GetDataSet();
    if (!ds.FindDataElement(gdcm::Tag(0x0028, 0x0010)) || !ds.FindDataElement(gdcm::Tag(0x0028, 0x0011))) return false;
    out.filename = filename;
    out.file = new gdcm::File(reader.GetFile());
    return true;
}

/// True when a slice is a plain single-frame grey image with a position and orientation.
bool plainSlice(const gdcm::File& file)
{
    const gdcm::DataSet& ds = file.GetDataSet();
    gdcm::StringFilter sf;
    sf.SetFile(file);
    if (ds.FindDataElement(gdcm::Tag(0x5200, 0x9229)) || ds.FindDataElement(gdcm::Tag(0x5200, 0x9230))) return false;
    const std::string frames = trimmedDicomValue(sf.ToString(gdcm::Tag(0x0028, 0x0008)));
    if (!frames.empty() && frames != "1") return false;
    const std::string samples = trimmedDicomValue(sf.ToString(gdcm::Tag(0x0028, 0x0002)));
    if (!samples.empty() && samples != "1") return false;
    const std::string pi = trimmedDicomValue(sf.ToString(gdcm::Tag(0x0028, 0x0004)));
    if (pi != "MONOCHROME2" && pi != "MONOCHROME1") return false;
    double p[6];
    const std::string ipp = sf.ToString(gdcm::Tag(0x0020, 0x0032));
    const std::string iop = sf.ToString(gdcm::Tag(0x0020, 0x0037));
    return std::sscanf(ipp.c_str(), "%lf\\%lf\\%lf", &p[0], &p[1], &p[2]) == 3 &&
           std::sscanf(iop.c_str(), "%lf\\%lf\\%lf\\%lf\\%lf\\%lf", &p[0], &p[1], &p[2], &p[3], &p[4], &p[5]) == 6;
}

/// gdcm::SerieHelper::ImagePositionPatientOrdering: by distance along the first file's normal, ascending; false
/// (SerieHelper would then order otherwise) when all positions or any two of them are equal.
bool orderByPosition(std::vector<const Header*>& files)
{
    const std::vector<double> cosines = gdcm::ImageHelper::GetDirectionCosinesValue(*files.front()->file);
    double normal[3];
    normal[0] = cosines[1] * cosines[5] - cosines[2] * cosines[4];
    normal[1] = cosines[2] * cosines[3] - cosines[0] * cosines[5];
    normal[2] = cosines[0] * cosines[4] - cosines[1] * cosines[3];
    std::multimap<double, const Header*> byDistance;
    for (const Header* h : files) {
        const std::vector<double> ipp = gdcm::ImageHelper::GetOriginValue(*h->file);
        double dist = 0;
        for (int i = 0; i < 3; ++i) dist += normal[i] * ipp[i];
        byDistance.emplace(dist, h);
    }
    if (byDistance.begin()->first == byDistance.rbegin()->first) return false;
    for (const auto& [dist, h] : byDistance) {
        if (byDistance.count(dist) != 1) return false;
    }
    files.clear();
    for (const auto& [dist, h] : byDistance) files.push_back(h);
    return true;
}

template <typename T> constexpr gdcm::PixelFormat::ScalarType gdcmScalarOf()
{
    if constexpr (std::is_same_v<T, std::uint8_t>) return gdcm::PixelFormat::UINT8;
    else if constexpr (std::is_same_v<T, std::int8_t>) return gdcm::PixelFormat::INT8;
    else if constexpr (std::is_same_v<T, std::uint16_t>) return gdcm::PixelFormat::UINT16;
    else if constexpr (std::is_same_v<T, std::int16_t>) return gdcm::PixelFormat::INT16;
    else if constexpr (std::is_same_v<T, std::uint32_t>) return gdcm::PixelFormat::UINT32;
    else if constexpr (std::is_same_v<T, std::int32_t>) return gdcm::PixelFormat::INT32;
    else if constexpr (std::is_same_v<T, float>) return gdcm::PixelFormat::FLOAT32;
    else if constexpr (std::is_same_v<T, double>) return gdcm::PixelFormat::FLOAT64;
    else return gdcm::PixelFormat::UNKNOWN;
}

/// Decodes one file's pixels into `slice` as GDCMImageIO::Read does (buffer, then its own rescale slope and
/// intercept when not identity); false when the file does not decode or is not what slice 0 is.
bool decodeSlice(const std::string& filename, const unsigned dims[2], gdcm::PixelFormat::ScalarType& stored,
                 gdcm::PixelFormat::ScalarType rescaled, std::byte* slice, std::size_t sliceBytes,
                 std::vector<char>& scratch, double origin[3])
{
    gdcm::ImageReader reader;
    reader.SetFileName(filename.c_str());
    if (!reader.Read()) return false;
    const gdcm::Image& image = reader.GetImage();
    const unsigned* d = image.GetDimensions();
    if (d[0] != dims[0] || d[1] != dims[1] || (image.GetNumberOfDimensions() == 3 && d[2] != 1)) return false;
    const gdcm::PixelFormat& pf = image.GetPixelFormat();
    if (stored == gdcm::PixelFormat::UNKNOWN) stored = pf.GetScalarType(); // slice 0 sets it
    if (pf.GetSamplesPerPixel() != 1 || pf.GetScalarType() != stored || pf.GetBitsAllocated() % 8 != 0) return false;
    if (image.GetPhotometricInterpretation() == gdcm::PhotometricInterpretation::PALETTE_COLOR) return false;
    const std::size_t len = image.GetBufferLength();
    gdcm::Rescaler r;
    r.SetIntercept(image.GetIntercept());
    r.SetSlope(image.GetSlope());
    r.SetPixelFormat(pf);
    if (r.ComputeInterceptSlopePixelType() != rescaled) return false;
    for (int i = 0; i < 3; ++i) origin[i] = image.GetOrigin()[i];
    if (image.GetSlope() == 1.0 && image.GetIntercept() == 0.0) {
        if (len != sliceBytes) return false;
        return image.GetBuffer(reinterpret_cast<char*>(slice));
    }
    if (len * gdcm::PixelFormat(rescaled).GetPixelSize() / pf.GetPixelSize() != sliceBytes) return false;
    scratch.resize(len);
    if (!image.GetBuffer(scratch.data())) return false;
    return r.Rescale(reinterpret_cast<char*>(slice), scratch.data(), len);
}

} // namespace

std::optional<Image> readDicomSeriesFast(const std::filesystem::path& directory, const ReadLimits& limits,
                                         dicom::DicomIdentity* identity, GdcmWarningCapture& warnings)
{
    // The files and series GDCMSeriesFileNames would find (its own directory listing, in its order).
    gdcm::Directory listing;
    listing.Load(directory.string(), false);
    std::vector<Header> headers;
    headers.reserve(listing.GetFilenames().size());
    std::map<std::string, std::vector<std::size_t>> series;
    for (const std::string& name : listing.GetFilenames()) {
        Header h;
        if (!readHeader(name, h)) continue;
        series[seriesKey(*h.file)].push_back(headers.size());
        headers.push_back(std::move(h));
    }
    std::size_t largest = 0;
    const std::vector<std::size_t>* chosen = nullptr;
    bool tie = false;
    for (const auto& [key, members] : series) {
        if (members.size() > largest) {
            largest = members.size();
            chosen = &members;
            tie = false;
        } else if (members.size() == largest) {
            tie = true;
        }
    }
    if (!chosen || tie || chosen->size() < 2) return std::nullopt;
    std::vector<const Header*> files;
    for (std::size_t i : *chosen) {
        if (!plainSlice(*headers[i].file)) return std::nullopt;
        files.push_back(&headers[i]);
    }
    if (!orderByPosition(files)) return std::nullopt;
    std::vector<std::string> names;
    for (const Header* h : files) names.push_back(h->filename);

    // The first slice's geometry and pixel type exactly as ImageSeriesReader takes them from GDCMImageIO.
    auto io = itk::GDCMImageIO::New();
    io->SetFileName(names.front());
    io->ReadImageInformation();
    if (io->GetNumberOfComponents() != 1 || io->GetDimensions(2) != 1) return std::nullopt;
    const long double bytes = static_cast<long double>(io->GetDimensions(0)) * io->GetDimensions(1) *
                              static_cast<long double>(names.size()) * 4;
    if (bytes > static_cast<long double>(limits.maxBytes)) {
        throw IoError("Cannot read " + quoted(directory) + ": the series is larger than the limit of " +
                      std::to_string(limits.maxBytes >> 20) + " MiB.");
    }
    const auto type = strataTypeFor(io->GetComponentType());
    if (!type) return std::nullopt;
    const std::vector<double> sliceAxis = io->GetDirection(2);

    // The slice spacing check of the ITK path; a problem is reported by that path, with its message.
    std::vector<double> positions;
    for (const Header* h : files) {
        gdcm::StringFilter sf;
        sf.SetFile(*h->file);
        double p[3]{0, 0, 0};
        std::sscanf(sf.ToString(gdcm::Tag(0x0020, 0x0032)).c_str(), "%lf\\%lf\\%lf", &p[0], &p[1], &p[2]);
        positions.push_back(p[0] * sliceAxis[0] + p[1] * sliceAxis[1] + p[2] * sliceAxis[2]);
    }
    if (!sliceSpacingProblem(positions, names).empty()) return std::nullopt;

    // The stored pixel format of slice 0 (every slice must match it) and its rescaled type, which must be the
    // component type GDCMImageIO reported.
    const unsigned dims[2]{static_cast<unsigned>(io->GetDimensions(0)), static_cast<unsigned>(io->GetDimensions(1))};
    Image image({dims[0], dims[1], names.size()}, *type, 1);
    const std::size_t sliceBytes = image.byteCount() / names.size();
    const gdcm::PixelFormat::ScalarType rescaled =
        dispatchPixelType(*type, [](auto tag) { return gdcmScalarOf<decltype(tag)>(); });
    if (rescaled == gdcm::PixelFormat::UNKNOWN) return std::nullopt;
    gdcm::ImageHelper::SetForceRescaleInterceptSlope(true); // as GDCMImageIO reads
    gdcm::PixelFormat::ScalarType stored = gdcm::PixelFormat::UNKNOWN;
    std::vector<char> scratch;
    double firstOrigin[3]{};
    double lastOrigin[3]{};
    for (std::size_t k = 0; k < names.size(); ++k) {
        double origin[3];
        if (!decodeSlice(names[k], dims, stored, rescaled, image.data() + k * sliceBytes, sliceBytes, scratch,
                         origin)) {
            return std::nullopt;
        }
        if (k == 0) std::memcpy(firstOrigin, origin, sizeof origin);
        if (k + 1 == names.size()) std::memcpy(lastOrigin, origin, sizeof origin);
    }
    if (warnings.sawIncompletePixelData()) {
        throw IoError("Cannot read DICOM series in " + quoted(directory) +
                      ": a file of the series is truncated (incomplete pixel data).");
    }

    // ImageSeriesReader's geometry: slice 0's spacing, origin and direction (ForceOrthogonalDirection), the
    // slice spacing from the first and last slice's origins.
    Vec3 spacing{};
    Vec3 origin{};
    Mat3 direction{};
    for (unsigned a = 0; a < 3; ++a) {
        spacing[a] = io->GetSpacing(a);
        origin[a] = io->GetOrigin(a);
        const std::vector<double> axis = io->GetDirection(a);
        for (unsigned c = 0; c < 3; ++c) direction[c * 3 + a] = axis[c];
    }
    double squared = 0;
    for (int j = 0; j < 3; ++j) {
        const double d = lastOrigin[j] - firstOrigin[j];
        squared += d * d;
    }
    const double norm = std::sqrt(squared);
    spacing[2] = norm == 0 ? 1.0 : norm / static_cast<double>(names.size() - 1);
    image.setSpacing(spacing);
    image.setOrigin(origin);
    image.setDirection(direction);

    if (identity) {
        std::vector<gdcm::StringFilter> filters(files.size());
        for (std::size_t k = 0; k < files.size(); ++k) filters[k].SetFile(*files[k]->file);
        *identity = dicomIdentityOf(files.size(), [&](std::size_t k, const char* key) {
            gdcm::Tag tag;
            tag.ReadFromPipeSeparatedString(key);
            return trimmedDicomValue(filters[k].ToString(tag));
        });
    }
    return image;
}

} // namespace strata::io

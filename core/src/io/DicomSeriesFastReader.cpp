#include "io/DicomSeriesFastReader.h"

#include "io/DicomFileHeader.h"
#include "io/DicomSeriesCommon.h"
#include "io/GdcmWarningCapture.h"
#include "io/TextFiles.h"
#include "strata/Error.h"

#include <gdcmDirectory.h>
#include <gdcmImageHelper.h>
#include <gdcmMediaStorage.h>
#include <gdcmRescaler.h>
#include <gdcmStringFilter.h>
#include <vnl/vnl_cross.h>
#include <vnl/vnl_vector.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>

namespace strata::io {

namespace {

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
bool orderByPosition(std::vector<DicomFileHeader*>& files)
{
    const std::vector<double> cosines = gdcm::ImageHelper::GetDirectionCosinesValue(files.front()->file());
    double normal[3];
    normal[0] = cosines[1] * cosines[5] - cosines[2] * cosines[4];
    normal[1] = cosines[2] * cosines[3] - cosines[0] * cosines[5];
    normal[2] = cosines[0] * cosines[4] - cosines[1] * cosines[3];
    std::multimap<double, DicomFileHeader*> byDistance;
    for (DicomFileHeader* h : files) {
        const std::vector<double> ipp = gdcm::ImageHelper::GetOriginValue(h->file());
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

/// The Strata pixel type GDCMImageIO reads a slice into (its stored type, or the type its rescale slope and
/// intercept need); nothing for what the one-pass reader leaves to ITK (12-bit, single-bit, 8-bit signed,
/// 32-bit unsigned, double).
std::optional<PixelType> componentTypeOf(const gdcm::Image& image)
{
    const gdcm::PixelFormat& pf = image.GetPixelFormat();
    gdcm::PixelFormat::ScalarType out = pf.GetScalarType();
    if (image.GetSlope() != 1.0 || image.GetIntercept() != 0.0) {
        gdcm::Rescaler r;
        r.SetIntercept(image.GetIntercept());
        r.SetSlope(image.GetSlope());
        r.SetPixelFormat(pf);
        out = r.ComputeInterceptSlopePixelType();
    }
    if (pf.GetScalarType() > out) return std::nullopt; // GDCMImageIO refuses it
    for (PixelType t : {PixelType::UInt8, PixelType::Int16, PixelType::UInt16, PixelType::Int32, PixelType::Float32}) {
        if (dispatchPixelType(t, [](auto tag) { return gdcmScalarOf<decltype(tag)>(); }) == out) return t;
    }
    return std::nullopt;
}

/// Slice 0's geometry as GDCMImageIO::ReadImageInformation gives it: in-plane spacing, origin and the direction
/// columns (row, column, slice), made orthogonal with vnl exactly as it does. False for what it treats apart
/// (storage classes whose spacing it reads otherwise) and for a degenerate orientation.
bool sliceGeometry(const gdcm::File& file, const gdcm::Image& image, Vec3& spacing, Vec3& origin, Mat3& direction)
{
    gdcm::MediaStorage ms;
    ms.SetFromFile(file);
    switch (ms) {
    case gdcm::MediaStorage::HardcopyGrayscaleImageStorage:
    case gdcm::MediaStorage::GEPrivate3DModelStorage:
    case gdcm::MediaStorage::Philips3D:
    case gdcm::MediaStorage::VideoEndoscopicImageStorage:
    case gdcm::MediaStorage::UltrasoundMultiFrameImageStorage:
    case gdcm::MediaStorage::UltrasoundImageStorage:
    case gdcm::MediaStorage::UltrasoundImageStorageRetired:
    case gdcm::MediaStorage::UltrasoundMultiFrameImageStorageRetired: return false;
    default: break;
    }
    const double* dircos = image.GetDirectionCosines();
    vnl_vector<double> row(3), column(3);
    for (unsigned i = 0; i < 3; ++i) {
        row[i] = dircos[i];
        column[i] = dircos[3 + i];
    }
    vnl_vector<double> slice = vnl_cross_3d(row, column);
    slice.normalize();
    row = vnl_cross_3d(column, slice).normalize();
    column = vnl_cross_3d(slice, row);
    for (unsigned c = 0; c < 3; ++c) {
        spacing[c] = image.GetSpacing()[c];
        origin[c] = image.GetOrigin()[c];
        direction[c * 3 + 0] = row[c];
        direction[c * 3 + 1] = column[c];
        direction[c * 3 + 2] = slice[c];
    }
    const double norms = row.squared_magnitude() * slice.squared_magnitude(); // 1, or 0 when degenerate
    return std::isfinite(norms) && norms > 0.5;
}

/// Decodes one slice's pixels into `slice` as GDCMImageIO::Read does (buffer, then its own rescale slope and
/// intercept when not identity); false when it is not what slice 0 is.
bool decodeSlice(const gdcm::Image& image, const unsigned dims[2], gdcm::PixelFormat::ScalarType stored,
                 gdcm::PixelFormat::ScalarType rescaled, std::byte* slice, std::size_t sliceBytes,
                 std::vector<char>& scratch)
{
    const unsigned* d = image.GetDimensions();
    if (d[0] != dims[0] || d[1] != dims[1] || (image.GetNumberOfDimensions() == 3 && d[2] != 1)) return false;
    const gdcm::PixelFormat& pf = image.GetPixelFormat();
    if (pf.GetSamplesPerPixel() != 1 || pf.GetScalarType() != stored || pf.GetBitsAllocated() % 8 != 0) return false;
    if (image.GetPhotometricInterpretation() == gdcm::PhotometricInterpretation::PALETTE_COLOR) return false;
    const std::size_t len = image.GetBufferLength();
    gdcm::Rescaler r;
    r.SetIntercept(image.GetIntercept());
    r.SetSlope(image.GetSlope());
    r.SetPixelFormat(pf);
    if (r.ComputeInterceptSlopePixelType() != rescaled) return false;
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
    std::vector<DicomFileHeader> headers;
    headers.reserve(listing.GetFilenames().size());
    std::map<std::string, std::vector<std::size_t>> series;
    for (const std::string& name : listing.GetFilenames()) {
        DicomFileHeader h;
        if (!h.read(name)) continue;
        series[seriesKey(h.file())].push_back(headers.size());
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
    std::vector<DicomFileHeader*> files;
    for (std::size_t i : *chosen) {
        if (!plainSlice(headers[i].file())) return std::nullopt;
        files.push_back(&headers[i]);
    }
    // A file that declares more pixel data than it holds is refused before anything is allocated for it (a small
    // file may claim 4 GiB; GDCM would allocate that much before finding the file short).
    refuseSeriesPixelDataPastEnd(directory, {files.begin(), files.end()});
    if (!orderByPosition(files)) return std::nullopt;
    std::vector<std::string> names;
    for (const DicomFileHeader* h : files) names.push_back(h->filename());

    // Slice 0, decoded from the header already read: the pixel type and geometry ImageSeriesReader takes from
    // GDCMImageIO reading the first file.
    gdcm::ImageHelper::SetForceRescaleInterceptSlope(true); // as GDCMImageIO reads
    gdcm::SmartPointer<gdcm::Image> slice;
    if (!files[0]->readImage(slice)) return std::nullopt;
    const gdcm::PixelFormat& firstFormat = slice->GetPixelFormat();
    if (firstFormat.GetSamplesPerPixel() != 1 ||
        slice->GetPhotometricInterpretation() == gdcm::PhotometricInterpretation::PALETTE_COLOR ||
        (slice->GetNumberOfDimensions() == 3 && slice->GetDimensions()[2] != 1)) {
        return std::nullopt;
    }
    const unsigned dims[2]{slice->GetDimensions()[0], slice->GetDimensions()[1]};
    const long double bytes = static_cast<long double>(dims[0]) * dims[1] * static_cast<long double>(names.size()) * 4;
    if (bytes > static_cast<long double>(limits.maxBytes)) {
        throw IoError("Cannot read " + quoted(directory) + ": the series is larger than the limit of " +
                      std::to_string(limits.maxBytes >> 20) + " MiB.");
    }
    const auto type = componentTypeOf(*slice);
    if (!type) return std::nullopt;
    Vec3 spacing{};
    Vec3 origin{};
    Mat3 direction{};
    if (!sliceGeometry(files[0]->file(), *slice, spacing, origin, direction)) return std::nullopt;

    // The slice spacing check of the ITK path; a problem is reported by that path, with its message.
    std::vector<double> positions;
    for (const DicomFileHeader* h : files) {
        gdcm::StringFilter sf;
        sf.SetFile(h->file());
        double p[3]{0, 0, 0};
        std::sscanf(sf.ToString(gdcm::Tag(0x0020, 0x0032)).c_str(), "%lf\\%lf\\%lf", &p[0], &p[1], &p[2]);
        positions.push_back(p[0] * direction[2] + p[1] * direction[5] + p[2] * direction[8]);
    }
    if (!sliceSpacingProblem(positions, names).empty()) return std::nullopt;

    // Every slice decoded straight into the volume; each must have slice 0's stored pixel format and rescale
    // to the component type GDCMImageIO reported.
    Image image({dims[0], dims[1], names.size()}, *type, 1);
    const std::size_t sliceBytes = image.byteCount() / names.size();
    const gdcm::PixelFormat::ScalarType rescaled =
        dispatchPixelType(*type, [](auto tag) { return gdcmScalarOf<decltype(tag)>(); });
    const gdcm::PixelFormat::ScalarType stored = firstFormat.GetScalarType();
    std::vector<char> scratch;
    double firstOrigin[3]{};
    double lastOrigin[3]{};
    for (std::size_t k = 0; k < names.size(); ++k) {
        if (k > 0 && !files[k]->readImage(slice)) return std::nullopt;
        if (!decodeSlice(*slice, dims, stored, rescaled, image.data() + k * sliceBytes, sliceBytes, scratch)) {
            return std::nullopt;
        }
        if (k == 0) std::memcpy(firstOrigin, slice->GetOrigin(), sizeof firstOrigin);
        if (k + 1 == names.size()) std::memcpy(lastOrigin, slice->GetOrigin(), sizeof lastOrigin);
        slice = nullptr; // its pixel data goes with it
    }
    if (warnings.sawIncompletePixelData()) {
        throw IoError("Cannot read DICOM series in " + quoted(directory) +
                      ": a file of the series is truncated (incomplete pixel data).");
    }

    // ImageSeriesReader's geometry: slice 0's spacing, origin and direction (ForceOrthogonalDirection), the
    // slice spacing from the first and last slice's origins.
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
        for (std::size_t k = 0; k < files.size(); ++k) filters[k].SetFile(files[k]->file());
        *identity = dicomIdentityOf(files.size(), [&](std::size_t k, const char* key) {
            gdcm::Tag tag;
            tag.ReadFromPipeSeparatedString(key);
            return trimmedDicomValue(filters[k].ToString(tag));
        });
    }
    return image;
}

} // namespace strata::io

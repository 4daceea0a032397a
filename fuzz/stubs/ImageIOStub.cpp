// The fuzz targets link a few of core's parsers without ITK: ImageIO's entry points that those translation units
// reference are replaced here. formatFromPath keeps the real rule for the names the parsers ask about.
#include "strata/Error.h"
#include "strata/ImageIO.h"

#include <algorithm>
#include <cctype>

namespace strata {

ImageFormat formatFromPath(const std::filesystem::path& path)
{
    std::string name = path.filename().string();
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    auto ends = [&name](const std::string& s) { return name.size() >= s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0; };
    if (ends(".nii") || ends(".nii.gz")) return ImageFormat::Nifti;
    if (ends(".nrrd") || ends(".nhdr")) return ImageFormat::Nrrd;
    if (ends(".mha") || ends(".mhd")) return ImageFormat::MetaImage;
    std::error_code ec;
    return std::filesystem::is_directory(path, ec) ? ImageFormat::DicomSeries : ImageFormat::Unknown;
}

Image readImage(const std::filesystem::path& path, const ReadLimits&)
{
    throw IoError("readImage is not linked into the fuzz targets ('" + path.string() + "').");
}

} // namespace strata

// GivenLabels.cpp opens a DICOM SEG through DCMTK; the fuzz targets give it files that are never one.
#include "strata/dicom/DicomSegReader.h"

namespace strata::dicom {

bool isDicomSeg(const std::filesystem::path&)
{
    return false;
}

LabelMap readDicomSeg(const std::filesystem::path& file, const Image&, DicomSegInfo*)
{
    throw IoError("readDicomSeg is not linked into the fuzz targets ('" + file.string() + "').");
}

} // namespace strata::dicom

#include "strata/Error.h"
#include "strata/ImageIO.h"

#include <algorithm>
#include <cctype>

namespace strata {

namespace {

std::string lowerName(const std::filesystem::path& path)
{
    std::string name = path.filename().string();
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return name;
}

bool endsWith(const std::string& s, const std::string& suffix)
{
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

} // namespace

ImageFormat formatFromPath(const std::filesystem::path& path)
{
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
        return ImageFormat::DicomSeries;
    }
    const std::string name = lowerName(path);
    if (endsWith(name, ".nii") || endsWith(name, ".nii.gz")) return ImageFormat::Nifti;
    if (endsWith(name, ".nrrd") || endsWith(name, ".nhdr")) return ImageFormat::Nrrd;
    if (endsWith(name, ".mha") || endsWith(name, ".mhd")) return ImageFormat::MetaImage;
    if (endsWith(name, ".dcm") || endsWith(name, ".ima")) return ImageFormat::DicomSeries;
    if (endsWith(name, ".png")) return ImageFormat::Png;
    if (endsWith(name, ".jpg") || endsWith(name, ".jpeg")) return ImageFormat::Jpeg;
    if (endsWith(name, ".tif") || endsWith(name, ".tiff")) return ImageFormat::Tiff;
    if (endsWith(name, ".bmp")) return ImageFormat::Bmp;
    for (const char* ext : {".avi", ".mp4", ".mkv", ".mov", ".webm", ".m4v", ".mpg", ".mpeg", ".wmv"})
        if (endsWith(name, ext)) return ImageFormat::Video;
    return ImageFormat::Unknown;
}

std::string formatName(ImageFormat format)
{
    switch (format) {
    case ImageFormat::Nifti: return "NIfTI";
    case ImageFormat::Nrrd: return "NRRD";
    case ImageFormat::MetaImage: return "MetaImage";
    case ImageFormat::DicomSeries: return "DICOM";
    case ImageFormat::Png: return "PNG";
    case ImageFormat::Jpeg: return "JPEG";
    case ImageFormat::Tiff: return "TIFF";
    case ImageFormat::Bmp: return "BMP";
    case ImageFormat::Video: return "video";
    case ImageFormat::Unknown: break;
    }
    return "unknown";
}

} // namespace strata

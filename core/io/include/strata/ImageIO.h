#pragma once

#include "strata/Image.h"
#include "strata/LabelMap.h"

#include <cstdint>
#include <filesystem>
#include <string>

namespace strata {

namespace dicom {
struct DicomIdentity;
}

/// Limits that protect the reader from absurd headers.
struct ReadLimits {
    /// Largest pixel buffer a header may ask for (default 8 GiB).
    std::uint64_t maxBytes{8ull << 30};
};

/// File formats Strata knows, chosen from the path.
/// Video (AVI, MP4, MKV, MOV, WebM, MPEG, WMV) is read as a stack of RGB frames (frame index = slice), not written.
enum class ImageFormat { Nifti, Nrrd, MetaImage, DicomSeries, Png, Jpeg, Tiff, Bmp, Video, Unknown };

[[nodiscard]] ImageFormat formatFromPath(const std::filesystem::path& path);
[[nodiscard]] std::string formatName(ImageFormat format);

/// Reads any supported image: a file (by extension) or a directory holding a DICOM series.
/// Throws IoError naming the file and the reason.
[[nodiscard]] Image readImage(const std::filesystem::path& path, const ReadLimits& limits = {});
/// The same; when `path` is a DICOM series folder or one multi-frame DICOM file, `dicomIdentity` (if given) gets its
/// UIDs, patient/study attributes and each slice's SOP instance (and frame; dicom/DicomIdentity.h), else cleared.
[[nodiscard]] Image readImage(const std::filesystem::path& path, const ReadLimits& limits,
                              dicom::DicomIdentity* dicomIdentity);

/// The size of the image readImage() would return, from the header only (NIfTI, NRRD, MetaImage, DICOM files and
/// folders, PNG, JPEG, TIFF, BMP: nothing is decoded; videos: the container's frame size and count). Throws IoError.
[[nodiscard]] Size3 readImageSize(const std::filesystem::path& path);

/// Writes NIfTI (.nii, .nii.gz), NRRD (.nrrd, .nhdr), MetaImage (.mha, .mhd) or PNG/JPEG/TIFF/BMP (2D only).
/// Writes to a temporary file first and renames it, so a failed write leaves no partial file.
void writeImage(const Image& image, const std::filesystem::path& path);

/// Writes the label ids as an image and the label table beside it as `<path>.labels.json`.
void writeLabelMap(const LabelMap& labels, const std::filesystem::path& path);
/// Reads a label map written by writeLabelMap (the table is optional).
[[nodiscard]] LabelMap readLabelMap(const std::filesystem::path& path);

} // namespace strata

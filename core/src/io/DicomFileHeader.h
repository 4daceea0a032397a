#pragma once

#include <gdcmFile.h>
#include <gdcmImage.h>
#include <gdcmSmartPointer.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace strata::io {

/// A DICOM file's header, read once up to its pixel data (the pixel data itself is not read), and where its pixel
/// data element starts. The one-pass series reader reads every header of a folder this way, chooses and orders
/// the series, then reads only the chosen slices' pixel data from that place and decodes it with GDCM exactly as
/// gdcm::ImageReader does (geometry, rescaling and pixel format from the header already parsed): each header is
/// parsed once.
class DicomFileHeader {
public:
    /// Reads `filename`'s header up to the pixel data; false for what is not a DICOM image (no rows or columns).
    /// Throws IoError for a file whose File Meta Information would make GDCM abort (DicomMetaCheck.h).
    bool read(const std::string& filename);

    const std::string& filename() const { return filename_; }
    /// True when the pixel data's declared length runs past the end of the file (a cut file, or a header that lies
    /// to make a reader allocate up to 4 GiB for a small file): such a file is refused before any pixel data is
    /// allocated. Known for native pixel data of little endian transfer syntaxes (the one-pass reader's case).
    [[nodiscard]] bool pixelDataPastEnd() const { return declaredPixelBytes_ > availablePixelBytes_; }
    /// "declares 4095 MiB of pixel data, the file holds 128 KiB of it" for the error of a file pixelDataPastEnd().
    [[nodiscard]] std::string pixelDataShortfall() const;
    const gdcm::File& file() const { return *file_; }

    /// The image gdcm::ImageReader gives for the file. Native pixel data is read from where the header ended and
    /// decoded from the header already parsed; encapsulated (compressed) pixel data, big endian or deflated files, and
    /// anything that is not where it was (a file changed since, cut short) are read again by gdcm::ImageReader,
    /// which warns about incomplete pixel data as usual. False when GDCM does not read the file as an image. The
    /// pixel data stays with `image` only.
    bool readImage(gdcm::SmartPointer<gdcm::Image>& image);

private:
    std::string filename_;
    /// Held by a smart pointer: gdcm::StringFilter and gdcm::Reader given the file hold it by reference count too,
    /// and delete one that lives elsewhere when they let go.
    gdcm::SmartPointer<gdcm::File> file_;
    /// Offset of the pixel data element's tag in the file; -1 when unknown.
    std::int64_t pixelDataOffset_{-1};
    std::uint64_t declaredPixelBytes_{0};  ///< the pixel data element's value length (0: unknown or undefined)
    std::uint64_t availablePixelBytes_{0}; ///< bytes of the file after the start of that value
};

/// Throws IoError ("Cannot read <path>: the DICOM file is truncated (incomplete pixel data): ...") when `path` is a
/// DICOM file (".dcm"/".ima" or "DICM" at byte 128) whose pixel data runs past its end, before ITK or GDCM would
/// allocate what the header declares; anything else passes.
void refuseDicomPixelDataPastEnd(const std::filesystem::path& path);

/// Throws IoError ("Cannot read DICOM series in <directory>: a file of the series is truncated (incomplete pixel
/// data): <file> declares ...") for the first of `files` whose pixel data runs past its end.
void refuseSeriesPixelDataPastEnd(const std::filesystem::path& directory, const std::vector<const DicomFileHeader*>& files);

} // namespace strata::io

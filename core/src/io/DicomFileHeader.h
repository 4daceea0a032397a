#pragma once

#include <gdcmFile.h>
#include <gdcmImage.h>
#include <gdcmSmartPointer.h>

#include <cstdint>
#include <string>

namespace strata::io {

/// A DICOM file's header, read once up to its pixel data (the pixel data itself is not read), and where its pixel
/// data element starts. The one-pass series reader reads every header of a folder this way, chooses and orders
/// the series, then reads only the chosen slices' pixel data from that place and decodes it with GDCM exactly as
/// gdcm::ImageReader does (geometry, rescaling and pixel format from the header already parsed): each header is
/// parsed once.
class DicomFileHeader {
public:
    /// Reads `filename`'s header up to the pixel data; false for what is not a DICOM image (no rows or columns).
    bool read(const std::string& filename);

    const std::string& filename() const { return filename_; }
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
};

} // namespace strata::io

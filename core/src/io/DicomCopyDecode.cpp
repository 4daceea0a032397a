#include "io/DicomCopyDecode.h"

#include <gdcmAttribute.h>
#include <gdcmImageReader.h>
#include <gdcmTrace.h>
#include <gdcmWriter.h>

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <new>

namespace strata::io {

using namespace dicom_copy;

namespace {

/// The decoded copy of one file; 0 or the outcome bit of a failure.
std::uint32_t decodeToCopy(const std::string& file, const std::string& copy, std::uint64_t maxBytes, std::uint64_t& total)
{
    gdcm::ImageReader reader;
    reader.SetFileName(file.c_str());
    if (!reader.Read()) return kDidNotDecode;
    const gdcm::Image& image = reader.GetImage();
    const unsigned long length = image.GetBufferLength();
    if (length == 0) return kDidNotDecode;
    total += length;
    if (length > maxBytes || total > maxBytes) return kTooLarge;
    std::vector<char> buffer;
    try {
        buffer.resize(length + (length & 1)); // a value of even length, as DICOM wants
    } catch (const std::bad_alloc&) {
        return kTooLarge;
    }
    if (!image.GetBuffer(buffer.data())) return kDidNotDecode;
    // The file's own data set with native pixel data: what the decoder gave, and how it says to read it (a JPEG
    // decoder turns YBR into RGB and says so in the image's photometric interpretation).
    gdcm::File& out = reader.GetFile();
    gdcm::DataSet& ds = out.GetDataSet();
    gdcm::DataElement pixels(gdcm::Tag(0x7fe0, 0x0010));
    pixels.SetVR(image.GetPixelFormat().GetBitsAllocated() > 8 ? gdcm::VR::OW : gdcm::VR::OB);
    pixels.SetByteValue(buffer.data(), static_cast<std::uint32_t>(buffer.size()));
    ds.Replace(pixels);
    const char* piName = gdcm::PhotometricInterpretation::GetPIString(image.GetPhotometricInterpretation());
    if (!piName) return kDidNotDecode; // a photometric interpretation GDCM has no name for
    gdcm::Attribute<0x0028, 0x0004> pi;
    pi.SetValue(piName);
    ds.Replace(pi.GetAsDataElement());
    if (image.GetPixelFormat().GetSamplesPerPixel() > 1) {
        gdcm::Attribute<0x0028, 0x0006> planar{static_cast<std::uint16_t>(image.GetPlanarConfiguration())};
        ds.Replace(planar.GetAsDataElement());
    }
    gdcm::FileMetaInformation& meta = out.GetHeader();
    meta.Remove(gdcm::Tag(0x0002, 0x0010));
    meta.SetDataSetTransferSyntax(gdcm::TransferSyntax::ExplicitVRLittleEndian);
    gdcm::Writer writer;
    writer.SetFile(out);
    writer.SetFileName(copy.c_str());
    return writer.Write() ? 0 : kNotWritten;
}

} // namespace

void quietDicomDecoding()
{
    const rlimit noCore{0, 0};
    ::setrlimit(RLIMIT_CORE, &noCore);
    gdcm::Trace::SetWarning(false); // nothing to stderr (in a fork: its lock may be held by a thread not forked)
    gdcm::Trace::SetError(false);
    gdcm::Trace::SetDebug(false);
    const int devnull = ::open("/dev/null", O_WRONLY);
    if (devnull >= 0) ::dup2(devnull, STDERR_FILENO); // libjpeg's own messages
}

void decodeDicomCopies(const std::vector<std::string>& files, const std::vector<std::string>& copies,
                       std::uint64_t maxBytes, int progress)
{
    std::uint64_t total = 0;
    for (std::uint32_t i = 0; i < files.size() && i < copies.size(); ++i) {
        if (::write(progress, &i, sizeof i) != sizeof i) return; // the reader gave up waiting
        const std::uint32_t outcome = decodeToCopy(files[i], copies[i], maxBytes, total);
        if (outcome != 0) {
            const std::uint32_t failed = i | outcome;
            (void)::write(progress, &failed, sizeof failed);
            return;
        }
    }
}

} // namespace strata::io
